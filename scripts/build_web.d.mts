// Types of scripts/build_web.mjs for the TypeScript that imports it (test/web/bundle.test.ts).
import type { BuildOptions } from 'esbuild';

/** Bundle file in dist/web/ → entry point (relative to the package root). */
export const ENTRIES: Readonly<Record<string, string>>;
/** The esbuild options of one of the page's bundles. */
export function bundleOptions(entryPoint: string, outfile: string): BuildOptions;
