// The package as a user gets it: `npm pack`, then installed into an empty app that has no dev
// dependencies and no build step, offline (its runtime dependencies come from the npm cache that
// the repository's `npm ci` filled, pinned by a lockfile made from the repository's own), and
// without a C compiler (CC=false) and with CI's BERT_TS_NATIVE_REQUIRED=1 inherited: the package's
// install script must take the shipped prebuilt binary and compile nothing.
// From there: the engine runs — the default backend ('auto') on the prebuilt native binary
// (prebuilds/linux-x64, loaded by node-gyp-build; WebAssembly from the installed .wasm elsewhere) —
// the shipped model and data are reachable (modelsDir, dataDir, bert-ts/package.json,
// bert-ts/models/*), `npx bert web --out_dir` writes the page (dist/web, shipped built) with its
// files, and `npx bert --help` and `npx bert extract_features` work — giving the same
// vectors as the source.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures } from '../../src/train/runners/extract_features.js';
import { silentLogger } from '../../src/util/log.js';
import { REPO } from '../shared.js';

const APP = join(mkdtempSync(join(tmpdir(), 'bert-installed-')), 'app');
const MODEL = join(REPO, 'models/uncased_L-2_H-128_A-2_brown');
const INPUT = join(APP, 'input.txt');

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

/** package.json and package-lock.json of an app depending only on the tarball. */
function writeApp(tarball: string): void {
  const repoLock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const dependencies = { 'bert-ts': `file:${tarball}` };
  const app = { name: 'app', version: '1.0.0', type: 'module', private: true, dependencies };
  const packages: Record<string, unknown> = {
    '': { name: 'app', version: '1.0.0', dependencies },
    'node_modules/bert-ts': {
      version: pkg.version,
      resolved: `file:${tarball}`,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      hasInstallScript: true, // as npm writes it: the package's own install script runs
    },
  };
  // The runtime dependencies, as the repository pins them (lockfile entries without "dev").
  for (const [path, entry] of Object.entries(
    repoLock.packages as Record<string, { dev?: boolean }>,
  ))
    if (path !== '' && entry.dev !== true) packages[path] = entry;
  const lock = { name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
  writeFileSync(join(APP, 'package.json'), JSON.stringify(app, null, 2));
  writeFileSync(join(APP, 'package-lock.json'), JSON.stringify(lock, null, 2));
}

// Runs inside the app: everything through the package's public entry and exports map.
const APP_SCRIPT = `
import { createRequire } from 'node:module';
import { createKernels, extractFeatures, pretrainedModelPath, modelsDir, dataDir, silentLogger, Encoder } from 'bert-ts';
const pkg = createRequire(import.meta.url)('bert-ts/package.json');
const model = pretrainedModelPath('uncased_L-2_H-128_A-2_brown');
const k = await createKernels({ threads: 2 });
await extractFeatures({
  inputFile: 'input.txt', outputFile: 'api.jsonl', layers: '-1', maxSeqLength: 32,
  vocabFile: model + '/vocab.txt', bertConfigFile: model + '/bert_config.json',
  initCheckpoint: model + '/bert_model.ckpt', doLowerCase: true, batchSize: 8, numThreads: 2,
  logger: silentLogger, kernels: k,
});
await k.dispose();
const enc = await Encoder.load(model, { numThreads: 2 });
const [cls] = await enc.embed(['The cat sat on the mat.']);
const vocab = import.meta.resolve('bert-ts/models/uncased_L-2_H-128_A-2_brown/vocab.txt');
console.log(JSON.stringify({ kernels: k.name, version: pkg.version, model, modelsDir, dataDir, vocab, cls: Array.from(cls) }));
`;

const FLAGS = (model: string, output: string) => [
  `--input_file=${INPUT}`,
  `--output_file=${output}`,
  '--layers=-1',
  '--max_seq_length=32',
  `--vocab_file=${model}/vocab.txt`,
  `--bert_config_file=${model}/bert_config.json`,
  `--init_checkpoint=${model}/bert_model.ckpt`,
  '--num_threads=2',
];

let report: Record<string, string> & { cls?: number[] } = {};

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist/src/index.js')) || !existsSync(join(REPO, 'build/kernels.wasm')))
    throw new Error('build first: npm run build (npm test does)');
  mkdirSync(APP);
  writeFileSync(INPUT, 'The cat sat on the mat.\nHello world ||| Goodbye world\n');
  // --ignore-scripts: npm test has just built; prepack would build again. Its other step, the
  // native binary into prebuilds/ (up to date: a copy), is run here.
  run(process.execPath, ['scripts/build_native.mjs', '--prebuild'], REPO);
  const tarball = run(
    'npm',
    ['pack', '--ignore-scripts', '--silent', '--pack-destination', APP],
    REPO,
  ).trim();
  writeApp(join(APP, tarball));
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], APP, { CC: 'false' });
  writeFileSync(join(APP, 'main.mjs'), APP_SCRIPT);
  report = JSON.parse(run(process.execPath, ['main.mjs'], APP));
});

describe('the installed package', () => {
  const installed = () => join(APP, 'node_modules/bert-ts');
  it('ships both .wasm builds, the native binary and its sources, the model, and no dev files', () => {
    expect(readdirSync(join(installed(), 'build')).sort()).toEqual([
      'kernels-relaxed.wasm',
      'kernels.wasm',
    ]);
    expect(readdirSync(installed()).sort()).toEqual([
      'README.md',
      'binding.gyp',
      'build',
      'data',
      'dist',
      'docs',
      'models',
      'package.json',
      'prebuilds',
      'scripts',
      'src',
    ]);
    expect(readdirSync(join(installed(), 'prebuilds'))).toEqual([
      `${process.platform}-${process.arch}`,
    ]);
    expect(readdirSync(join(installed(), 'dist')).sort()).toEqual(['src', 'web']);
    expect(existsSync(join(APP, 'node_modules/vitest'))).toBe(false);
  });
  it('runs the prebuilt native kernels (linux-x64) and finds its assets through the exports map', () => {
    const linux = process.platform === 'linux' && process.arch === 'x64';
    expect(report.kernels).toMatch(linux ? /^native-(avx512|avx2|generic) x2$/ : /^wasm-/);
    expect(report.version).toBe(
      JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version,
    );
    expect(report.model).toBe(join(installed(), 'models/uncased_L-2_H-128_A-2_brown'));
    expect(report.modelsDir).toBe(join(installed(), 'models'));
    expect(report.dataDir).toBe(join(installed(), 'data'));
    expect(report.vocab).toBe(`file://${join(report.model!, 'vocab.txt')}`);
  });
  it('gives the vectors the source gives, and npx bert extract_features the same', async () => {
    const fromSource = join(APP, 'source.jsonl');
    await extractFeatures({
      inputFile: INPUT,
      outputFile: fromSource,
      layers: '-1',
      maxSeqLength: 32,
      vocabFile: join(MODEL, 'vocab.txt'),
      bertConfigFile: join(MODEL, 'bert_config.json'),
      initCheckpoint: join(MODEL, 'bert_model.ckpt'),
      doLowerCase: true,
      batchSize: 8,
      numThreads: 2,
      logger: silentLogger,
    });
    const api = readFileSync(join(APP, 'api.jsonl'), 'utf8');
    expect(api.trimEnd().split('\n')).toHaveLength(2);
    expect(api).toBe(readFileSync(fromSource, 'utf8'));
    run(
      'npx',
      ['--no-install', 'bert', 'extract_features', ...FLAGS(report.model!, 'cli.jsonl')],
      APP,
    );
    expect(readFileSync(join(APP, 'cli.jsonl'), 'utf8')).toBe(api);
    // Encoder.embed from the installed package: the first line's [CLS] row (rounded to 6 places)
    const first = JSON.parse(api.split('\n')[0]!).features[0].layers[0].values as number[];
    expect(report.cls).toHaveLength(128);
    report.cls!.forEach((x, i) => expect(Math.abs(x - first[i]!)).toBeLessThan(1e-6));
  });
  it('npx bert web --out_dir writes the page with its kernels, model and data', () => {
    run('npx', ['--no-install', 'bert', 'web', '--out_dir=site'], APP);
    const site = join(APP, 'site');
    for (const f of [
      'index.html',
      'main.js',
      'engine_worker.js',
      'pool_worker_web.mjs',
      '_headers',
    ])
      expect(existsSync(join(site, f)), f).toBe(true);
    expect(readFileSync(join(site, 'kernels.wasm'))).toEqual(
      readFileSync(join(installed(), 'build/kernels.wasm')),
    );
    expect(existsSync(join(site, 'models/uncased_L-2_H-128_A-2_brown/bert_model.ckpt.index'))).toBe(
      true,
    );
  });
  it('npx bert --help lists the scripts', () => {
    const out = run('npx', ['--no-install', 'bert', '--help'], APP);
    expect(out).toContain('usage: bert <script> [--flag=value ...]');
    expect(out).toContain('run_classifier');
  });
});
