// TFRecord framing, as tensorflow/core/lib/io/record_writer.cc writes it:
//   uint64 LE length | uint32 masked crc32c(length bytes) | payload | uint32 masked crc32c(payload)
// Used for training data (tf.train.Example) and TensorBoard event files.
import { closeSync, readSync } from '../host/fs.js';
import { AtomicFileWriter, openInputFile } from '../util/fs.js';
import { FormatError, hex32 } from '../util/errors.js';
import { maskedCrc32c } from './crc32c.js';

/** The bytes of one framed record. */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + payload.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(payload.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(payload, 12);
  view.setUint32(12 + payload.length, maskedCrc32c(payload), true);
  return out;
}

/** Writes records to a temporary file; `close()` renames it to `path`, `abort()` removes it. */
export class TFRecordWriter {
  private readonly file: AtomicFileWriter;
  count = 0;

  constructor(readonly path: string) {
    this.file = new AtomicFileWriter(path);
  }

  write(payload: Uint8Array): void {
    this.file.write(frameRecord(payload));
    this.count++;
  }

  close(): void {
    this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }
}

/**
 * Reads the records of a TFRecord file in order, verifying both crcs of each. Errors name the
 * file, the record number (0-based) and its byte offset. Reads in chunks, not the whole file.
 */
export function* readTFRecords(path: string): Generator<Uint8Array> {
  const { fd, size } = openInputFile(path, 'TFRecord file');
  try {
    let offset = 0;
    for (let n = 0; offset < size; n++) {
      const where = `${path}: record ${n} at byte ${offset}`;
      if (size - offset < 12)
        throw new FormatError(
          `${where}: truncated header (${size - offset} bytes left)`,
          'truncated or not a TFRecord file',
        );
      const header = readExact(fd, offset, 12);
      const view = new DataView(header.buffer, header.byteOffset, 12);
      const lenCrc = view.getUint32(8, true);
      const wantLenCrc = maskedCrc32c(header.subarray(0, 8));
      if (lenCrc !== wantLenCrc)
        throw new FormatError(
          `${where}: length crc32c ${hex32(lenCrc)}, expected ${hex32(wantLenCrc)}`,
          'corrupted or not a TFRecord file',
        );
      const length = Number(view.getBigUint64(0, true));
      if (offset + 12 + length + 4 > size)
        throw new FormatError(
          `${where}: record of ${length} bytes runs past the end of the file (${size} bytes)`,
          'truncated file',
        );
      const body = readExact(fd, offset + 12, length + 4);
      const payload = body.subarray(0, length);
      const dataCrc = new DataView(body.buffer, body.byteOffset + length, 4).getUint32(0, true);
      const wantDataCrc = maskedCrc32c(payload);
      if (dataCrc !== wantDataCrc)
        throw new FormatError(
          `${where}: payload crc32c ${hex32(dataCrc)}, expected ${hex32(wantDataCrc)}`,
          'corrupted record',
        );
      yield payload;
      offset += 12 + length + 4;
    }
  } finally {
    closeSync(fd);
  }
}

function readExact(fd: number, position: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buf;
}
