// The bert-ts library API. Each pipeline stage exports its public pieces here.
export { BertError, UsageError, FormatError, ShapeError, ConfigError } from './util/errors.js';
export { type Logger, stderrLogger, silentLogger } from './util/log.js';
export { readTFRecords, TFRecordWriter, frameRecord } from './formats/tfrecord.js';
export {
  type Feature,
  encodeExample,
  decodeExample,
  intFeature,
  floatFeature,
  bytesFeature,
} from './formats/example.js';
export { crc32c, maskCrc, unmaskCrc, maskedCrc32c } from './formats/crc32c.js';
export { pyFloatRepr, npFloat32Str, pyRound } from './util/py_format.js';
