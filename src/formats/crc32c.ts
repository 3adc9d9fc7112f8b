// CRC32C (Castagnoli) and TensorFlow's masked form, used by TFRecords, checkpoint index blocks and
// tensor entries. The checksum comes from SheetJS's crc-32 (its crc32c module, slicing-by-16):
// about 8× faster here than @aws-crypto/crc32c's byte-at-a-time loop, which made checkpoint I/O
// crc-bound (30–60 MB/s).
import CRC32C from 'crc-32/crc32c.js';

const MASK_DELTA = 0xa282ead8;

/** crc32c of `data` as an unsigned 32-bit number. */
export function crc32c(data: Uint8Array): number {
  return CRC32C.buf(data) >>> 0;
}

/** Incremental crc32c: `new Crc32c().update(a).update(b).digest() === crc32c(a ++ b)`. */
export class Crc32c {
  private crc = 0;

  update(data: Uint8Array): this {
    this.crc = CRC32C.buf(data, this.crc);
    return this;
  }

  digest(): number {
    return this.crc >>> 0;
  }
}

/** TF's masked crc: rotate right by 15 bits, then add 0xa282ead8 (mod 2^32). */
export function maskCrc(crc: number): number {
  const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
  return (rotated + MASK_DELTA) >>> 0;
}

/** Inverse of maskCrc. */
export function unmaskCrc(masked: number): number {
  const rotated = (masked - MASK_DELTA) >>> 0;
  return ((rotated >>> 17) | (rotated << 15)) >>> 0;
}

/** masked crc32c of `data`. */
export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc(crc32c(data));
}

/** masked crc32c over several pieces, as if concatenated. */
export function maskedCrc32cOf(pieces: readonly Uint8Array[]): number {
  const c = new Crc32c();
  for (const p of pieces) c.update(p);
  return maskCrc(c.digest());
}
