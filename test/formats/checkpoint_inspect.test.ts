// bert inspect_checkpoint: TF's listing lines for Google's real indexes (against the Python
// listing), values as numpy prints them, crc status, and the index-only case.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import inspectScript from '../../src/cli/inspect_checkpoint.js';
import { inspectCheckpoint, type InspectOptions } from '../../src/formats/checkpoint/inspect.js';
import { CKPT_DIR, readListing } from './checkpoint_listing.js';
import { REPO } from '../shared.js';

const LISTING = readListing();
const MKL = join(CKPT_DIR, 'tf_serving_half_plus_two_mkl/variables');
const TF_NAMES: Record<string, string> = {
  float32: 'DT_FLOAT',
  int64: 'DT_INT64',
  string: 'DT_STRING',
};

function run(o: Partial<InspectOptions> & { fileName: string }): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  const ok = inspectCheckpoint(
    { tensorName: '', allTensors: false, allTensorNames: false, verifyCrc: true, ...o },
    (l) => lines.push(l),
  );
  return { ok, lines };
}

describe('listing (BundleReader::DebugString lines)', () => {
  it.each([
    [
      'bert_tiny_uncased_L-2_H-128_A-2/bert_model.ckpt',
      'tf_checkpoint/bert_tiny_uncased_L-2_H-128_A-2/bert_model.ckpt.index',
    ],
    ['bert_tiny_mrpc_finetuned', 'tf_checkpoint/bert_tiny_mrpc_finetuned/model.ckpt-343.index'],
  ])(
    '%s: one line per tensor as the listing, total params, and the missing data file',
    (path, file) => {
      const rows = LISTING.get(file)!.rows;
      const { ok, lines } = run({ fileName: join(CKPT_DIR, path) });
      expect(ok).toBe(true);
      expect(lines.slice(0, rows.length)).toEqual(
        rows.map((r) => `${r.key} (${TF_NAMES[r.dtype]}) [${r.shape.join(',')}]`),
      );
      const params = rows.reduce((n, r) => n + r.shape.reduce((a, b) => a * b, 1), 0);
      expect(lines.slice(rows.length, rows.length + 3)).toEqual([
        '',
        `# Total number of params: ${params}`,
        `# data file missing: ${join(CKPT_DIR, file.replace('tf_checkpoint/', '').replace(/\.index$/, ''))}.data-00000-of-00001`,
      ]);
    },
  );
  it('BERT-Tiny has 4,433,468 parameters (17,733,872 bytes of float32)', () => {
    const { lines } = run({
      fileName: join(CKPT_DIR, 'bert_tiny_uncased_L-2_H-128_A-2/bert_model.ckpt'),
    });
    expect(lines).toContain('# Total number of params: 4433468');
    expect(lines).toContain('bert/embeddings/word_embeddings (DT_FLOAT) [30522,128]');
  });
  it('a complete checkpoint: every crc checked', () => {
    const { ok, lines } = run({ fileName: MKL });
    expect(ok).toBe(true);
    expect(lines).toContain('conv2d/kernel (DT_FLOAT) [1,1,1,1]');
    expect(lines.at(-1)).toBe('# crc32c: all 9 tensors match the index');
  });
  it('a damaged data file: the listing names each tensor whose crc fails', () => {
    const prefix = join(mkdtempSync(join(tmpdir(), 'insp-')), 'variables');
    copyFileSync(`${MKL}.index`, `${prefix}.index`);
    const data = readFileSync(`${MKL}.data-00000-of-00001`);
    data[33] = data[33]! ^ 0x80;
    writeFileSync(`${prefix}.data-00000-of-00001`, data);
    const { ok, lines } = run({ fileName: prefix });
    expect(ok).toBe(false);
    expect(lines.filter((l) => l.startsWith('# crc32c MISMATCH'))).toEqual([
      expect.stringMatching(
        /^# crc32c MISMATCH: .*variables: tensor 'conv2d_2\/kernel': crc32c 0x[0-9a-f]{8} of its 4 bytes at offset 32, the index says 0xff6a0eeb$/,
      ),
    ]);
  });
});

describe('values', () => {
  it('--tensor_name prints the value as numpy does', () => {
    expect(run({ fileName: MKL, tensorName: 'conv2d/kernel' }).lines.slice(0, 2)).toEqual([
      'tensor_name:  conv2d/kernel',
      '[[[[-0.52239597]]]]',
    ]);
  });
  it('--all_tensors prints every name and value; --all_tensor_names only names', () => {
    const all = run({ fileName: MKL, allTensors: true }).lines;
    expect(all.slice(0, 4)).toEqual(['tensor_name:  a', '0.5', 'tensor_name:  b', '2.0']);
    expect(run({ fileName: MKL, allTensorNames: true }).lines.slice(0, 3)).toEqual([
      'tensor_name:  a',
      'tensor_name:  b',
      'tensor_name:  c',
    ]);
  });
  it('an unknown tensor, and values of an index without data, are errors naming the file', () => {
    expect(() => run({ fileName: MKL, tensorName: 'nope' })).toThrow(
      /variables: tensor 'nope' not found in the checkpoint/,
    );
    expect(() =>
      run({ fileName: join(CKPT_DIR, 'bert_tiny_mrpc_finetuned'), tensorName: 'global_step' }),
    ).toThrow(/data file .* is missing/);
  });
});

describe('safetensors files', () => {
  it('are listed under their own names with TF dtype names, values printed as numpy', () => {
    const file = join(REPO, 'test/fixtures/safetensors/dtypes.safetensors');
    const { lines } = run({ fileName: file });
    expect(lines.slice(0, 3)).toEqual([
      'a.float32 (DT_FLOAT) [2,3]',
      'b.float16 (DT_HALF) [8]',
      'c.bfloat16 (DT_BFLOAT16) [5]',
    ]);
    expect(lines.at(-1)).toBe('# Total number of params: 32');
    expect(run({ fileName: file, tensorName: 'e.int64' }).lines[1]).toBe(
      '[-4611686018427387904                  343                    0]',
    );
  });
});

describe('the CLI script', () => {
  afterEach(() => vi.restoreAllMocks());
  it('prints to stdout (--tensor_name=b)', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
    const flags = {
      file_name: MKL,
      tensor_name: 'b',
      all_tensors: false,
      all_tensor_names: false,
      verify_crc: true,
    };
    await inspectScript.main(flags, []);
    expect(out.join('')).toBe('tensor_name:  b\n2.0\n# Total number of params: 9\n');
  });
});
