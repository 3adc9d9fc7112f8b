// What `bert inspect_checkpoint` prints, after TF's tensorflow/python/tools/inspect_checkpoint.py:
//   default             one `name (DT_FLOAT) [30522,128]` line per tensor (BundleReader::
//                       DebugString), a blank line, `# Total number of params: N`
//   --all_tensor_names  `tensor_name:  name` per tensor (+ the value with --all_tensors)
//   --tensor_name=X     `tensor_name:  X` and the value, as numpy prints it
// bert-ts adds, after the listing, whether the data file is there and whether every tensor's
// crc32c matches the index (so a listing of an index-only checkpoint still works).
import { FormatError } from '../../util/errors.js';
import { TFCheckpointReader } from './bundle_reader.js';
import { SafetensorsFile } from '../safetensors.js';
import { numpyStr } from './np_print.js';
import { type CheckpointSource, openCheckpoint } from './source.js';
import { TF_DTYPE, type DType, numElements, tfDTypeName } from './tensor.js';

export interface InspectOptions {
  fileName: string;
  tensorName: string;
  allTensors: boolean;
  allTensorNames: boolean;
  /** Read every tensor to check its crc32c (listing mode, TF checkpoints with their data). */
  verifyCrc: boolean;
}

/** Prints the report to `out` (one call per line); returns false when a crc did not match. */
export function inspectCheckpoint(o: InspectOptions, out: (line: string) => void): boolean {
  // A .safetensors file is shown with its own names (it may not be BERT's).
  const src: CheckpointSource = o.fileName.endsWith('.safetensors')
    ? new SafetensorsFile(o.fileName)
    : openCheckpoint(o.fileName);
  try {
    if (o.allTensors || o.allTensorNames) {
      for (const name of src.names()) {
        out(`tensor_name:  ${name}`);
        if (o.allTensors) out(numpyStr(src.readTensor(name)));
      }
    } else if (o.tensorName !== '') {
      if (!src.has(o.tensorName))
        throw new FormatError(`${src.path}: tensor '${o.tensorName}' not found in the checkpoint`);
      out(`tensor_name:  ${o.tensorName}`);
      out(numpyStr(src.readTensor(o.tensorName)));
    } else {
      for (const name of src.names()) out(debugLine(src, name));
      out('');
    }
    out(
      `# Total number of params: ${src.names().reduce((n, k) => n + numElements(src.info(k).shape), 0)}`,
    );
    return o.tensorName === '' && !o.allTensors && !o.allTensorNames
      ? dataStatus(src, o.verifyCrc, out)
      : true;
  } finally {
    src.close();
  }
}

/** `name (DT_FLOAT) [30522,128]`, as BundleReader::DebugString. */
function debugLine(src: CheckpointSource, name: string): string {
  const { dtype, shape } = src.info(name);
  const code = TF_DTYPE[dtype as DType];
  return `${name} (${code === undefined ? dtype : tfDTypeName(code)}) [${shape.join(',')}]`;
}

function dataStatus(src: CheckpointSource, verify: boolean, out: (line: string) => void): boolean {
  if (!(src instanceof TFCheckpointReader)) return true;
  const missing = src.missingDataFiles();
  if (missing.length > 0) {
    for (const f of missing) out(`# data file missing: ${f}`);
    out('# names, dtypes and shapes above come from the index alone; values cannot be read');
    return true;
  }
  if (!verify) return true;
  const bad: string[] = [];
  for (const name of src.names()) {
    try {
      src.readBytes(name);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      bad.push(e.message);
    }
  }
  if (bad.length === 0) out(`# crc32c: all ${src.names().length} tensors match the index`);
  for (const m of bad) out(`# crc32c MISMATCH: ${m}`);
  return bad.length === 0;
}
