// Builds the native kernels (src/engine/native/*.c, a Node-API addon) into
// build/Release/bert_native.node with node-gyp, against the running Node's own headers — it never
// downloads any — when a C compiler is there. Runs at npm install and in npm run build. Without a
// compiler, headers or node-gyp, or when the compile fails, it says so and exits 0: the package
// then loads its prebuilt binary (prebuilds/<platform>-<arch>/) or runs on the WebAssembly kernels.
//   node scripts/build_native.mjs              build when a source is newer than the binary
//   node scripts/build_native.mjs --prebuild   also copy the binary to prebuilds/ (npm pack runs it)
// BERT_TS_NATIVE_REQUIRED=1 makes every "cannot build" an error (exit 1).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = join(root, 'build', 'Release', 'bert_native.node');
const sources = [
  join(root, 'binding.gyp'),
  ...readdirSync(join(root, 'src/engine/native')).map((f) => join(root, 'src/engine/native', f)),
];

/** Stops here: an error when the build is required, else a note and the WASM fallback. */
function skip(reason) {
  const required = process.env.BERT_TS_NATIVE_REQUIRED === '1';
  console.warn(
    `bert-ts: native kernels not built: ${reason}${required ? '' : ' (using WebAssembly)'}`,
  );
  process.exit(required ? 1 : 0);
}

/** A directory whose include/node has node_api.h: npm_config_nodedir, the running Node's, /usr. */
function nodeHeaders() {
  const dirs = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..'), '/usr'];
  return dirs.find((d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')));
}

/** npm's own node-gyp: npm names it in lifecycle scripts; otherwise beside the npm next to node. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath &&
      join(dirname(process.env.npm_execpath), '..', 'node_modules/node-gyp/bin/node-gyp.js'),
    resolve(
      dirname(process.execPath),
      '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    ),
  ];
  return candidates.find((p) => p && existsSync(p));
}

function upToDate() {
  if (!existsSync(binary)) return false;
  const built = statSync(binary).mtimeMs;
  return sources.every((f) => statSync(f).mtimeMs <= built);
}

function build() {
  const compiler = process.env.CC ?? 'cc';
  if (spawnSync(compiler, ['--version'], { stdio: 'ignore' }).status !== 0)
    skip(`no C compiler (${compiler})`);
  const headers = nodeHeaders();
  if (!headers) skip('no Node headers (include/node/node_api.h) beside this Node or in /usr');
  const gyp = nodeGyp();
  if (!gyp) skip("npm's node-gyp not found");
  // configure + build, not rebuild: rebuild would first delete build/, where the .wasm files live
  const args = [gyp, 'configure', 'build', `--nodedir=${headers}`, '--jobs=max', '--loglevel=warn'];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    console.warn(`${r.stdout}${r.stderr}`.trim().split('\n').slice(-25).join('\n'));
    skip('the compile failed (output above)');
  }
}

const prebuildDir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);
// At a user's npm install, a shipped binary for this platform is all that is needed (as
// node-gyp-build does): no compiler required, nothing compiled.
const installingPrebuilt =
  process.env.npm_lifecycle_event === 'install' && existsSync(join(prebuildDir, 'node.napi.node'));
if (!installingPrebuilt && !upToDate()) build();
if (process.argv.includes('--prebuild')) {
  mkdirSync(prebuildDir, { recursive: true });
  copyFileSync(binary, join(prebuildDir, 'node.napi.node'));
}
