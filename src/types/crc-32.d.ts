// Types for crc-32's crc32c module (the package ships types only for its crc32 entry point).
declare module 'crc-32/crc32c.js' {
  const CRC32C: {
    /** crc32c of the bytes, continuing from `seed` (a previous result); signed 32-bit result. */
    buf(data: Uint8Array | number[], seed?: number): number;
  };
  export default CRC32C;
}
