// docs/library.md's examples cannot rot: every ```js block of the page, then the README's, is
// written to a file and run with Node, in order, in one folder inside the repository — so
// `import … from 'bert-ts'` resolves to this package through its own name and exports map
// (dist/), as it does once installed. Each must exit 0 and print what the page says it prints.
// The README's block loads the README command's /tmp/mrpc_output; here it loads the folder the
// page's fine-tune example saved instead.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../shared.js';

/** The ```js blocks of a markdown file, in order. */
function jsBlocks(file: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  return [...text.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

const run = promisify(execFile);
const LIBRARY = jsBlocks('docs/library.md');
const README = jsBlocks('README.md');
let APP = '';

/** Runs one example in APP (a child process: the fine-tune takes a while); its stdout. */
async function runExample(name: string, code: string): Promise<string> {
  const file = join(APP, `${name}.mjs`);
  writeFileSync(file, code);
  const { stdout } = await run(process.execPath, [file], { cwd: APP, encoding: 'utf8' });
  return stdout;
}

beforeAll(() => {
  const base = join(REPO, 'build', 'docs-examples');
  mkdirSync(base, { recursive: true });
  APP = mkdtempSync(join(base, 'run-'));
});
afterAll(() => rmSync(APP, { recursive: true, force: true }));

describe('docs/library.md', () => {
  it('has the fine-tune, classify, embed, tokenize, export and transformers.js examples', () => {
    expect(LIBRARY).toHaveLength(6);
    expect(LIBRARY[0]).toContain('Classifier.fineTune(');
    expect(LIBRARY[1]).toContain("Classifier.load('mrpc-model')");
    expect(LIBRARY[2]).toContain('Encoder.load(');
    expect(LIBRARY[3]).toContain('Tokenizer.load(');
    expect(LIBRARY[4]).toContain('exportModel(');
    expect(LIBRARY[5]).toContain("pipeline('text-classification'");
  });
  // The whole of MRPC: about 16 s on 2 quiet cores (native kernels), minutes on a busy machine.
  it(
    'fine-tune: MRPC from the shipped model reaches the documented 0.7181372',
    { timeout: 900_000 },
    async () => {
      const out = await runExample('finetune', LIBRARY[0]!);
      expect(out).toMatch(/step 300\/343: loss \d\.\d{4}/);
      expect(out).toMatch(/eval_accuracy: 0\.7181372/);
      expect(readFileSync(join(APP, 'mrpc-model', 'bert_ts.json'), 'utf8')).toContain('"mrpc"');
    },
  );
  it('classify: two predictions with the labels and their probabilities', async () => {
    const out = await runExample('classify', LIBRARY[1]!);
    expect(out.match(/label: '[01]'/g)).toHaveLength(2);
    expect(out).toMatch(/probabilities: \{ '0': 0\.\d+, '1': 0\.\d+ \}/);
  });
  it('embed: two cosines, then the 256 of two concatenated layers', async () => {
    const lines = (await runExample('embed', LIBRARY[2]!)).trim().split('\n');
    expect(lines[0]).toMatch(/^-?\d\.\d{3} -?\d\.\d{3}$/);
    expect(lines[1]).toBe('256');
  });
  it('tokenize: the tokens and 16 ids, mask and segment ids', async () => {
    const out = await runExample('tokenize', LIBRARY[3]!);
    expect(out).toContain('[CLS] the cat sat . [SEP] a cat was sitting . [SEP]');
    expect(out).toContain("don ' t panic : it ' s una ##ffa ##ble !");
  });
  it('export: the saved classifier and the shipped encoder as Hugging Face folders', async () => {
    await runExample('export', LIBRARY[4]!);
    const config = (dir: string) => JSON.parse(readFileSync(join(APP, dir, 'config.json'), 'utf8'));
    expect(config('mrpc_hf').architectures).toEqual(['BertForSequenceClassification']);
    expect(config('brown_hf').architectures).toEqual(['BertModel']);
  });
  it('transformers.js loads both: logits [1, 2], two labelled scores, a [1, 128] vector', async () => {
    const out = await runExample('transformers_js', LIBRARY[5]!);
    expect(out).toContain('[ 1, 2 ]');
    expect(out.match(/label: '[01]', score: 0\.\d+/g)).toHaveLength(2);
    expect(out).toContain('[ 1, 128 ]');
  });
});

describe('README.md', () => {
  it('the library block runs (on the folder the fine-tune example saved)', async () => {
    expect(README).toHaveLength(1);
    const code = README[0]!.replace("'/tmp/mrpc_output'", "'mrpc-model'");
    const out = await runExample('readme', code);
    expect(out).toMatch(/label: '[01]'/);
    expect(out).toContain('Float32Array(128)');
  });
});
