// The part of the WebAssembly JavaScript API the engine uses. TypeScript keeps these typings in
// lib.dom, which this Node project does not load (tsconfig lib ES2023, types node); esbuild's
// typings (pulled in by vitest) declare an empty WebAssembly.Module, which these merge with.
declare namespace WebAssembly {
  // A compiled module is opaque; empty like esbuild's declaration it merges with.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Module {}
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  interface Memory {
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(delta: number): number;
  }
  type ExportValue = unknown;
  type Exports = Record<string, ExportValue>;
  interface Instance {
    readonly exports: Exports;
  }
  type Imports = Record<string, Record<string, unknown>>;
  const Memory: { new (descriptor: MemoryDescriptor): Memory };
  const Module: {
    new (bytes: Uint8Array): Module;
    exports(module: Module): { name: string; kind: string }[];
  };
  const Instance: { new (module: Module, imports?: Imports): Instance };
  function compile(bytes: Uint8Array): Promise<Module>;
  function validate(bytes: Uint8Array): boolean;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
