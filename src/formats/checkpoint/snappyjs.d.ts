// Types for snappyjs (a CommonJS package without its own), as far as sstable.ts uses it.
declare module 'snappyjs' {
  interface Snappy {
    uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
    compress(uncompressed: Uint8Array): Uint8Array;
  }
  const snappy: Snappy;
  export default snappy;
}
