// CRC32C (Castagnoli) and TensorFlow's masked form, used by TFRecords, checkpoint index blocks and
// tensor entries. The checksum itself comes from @aws-crypto/crc32c.
import { Crc32c, crc32c } from '@aws-crypto/crc32c';

export { crc32c };

const MASK_DELTA = 0xa282ead8;

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
