import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../src/cli/create_finetuning_data.js';
import { parseFlags, requireFlags } from '../../src/cli/flags.js';
import { readFeaturesTFRecord } from '../../src/data/classifier_tfrecord.js';
import { truncateSeqPair, type InputFeatures } from '../../src/data/features.js';
import { UsageError } from '../../src/util/errors.js';
import { SHARED } from '../shared.js';

const RECORDS = join(SHARED, 'fixtures/tfrecord/run_classifier_mrpc_seq128');
const MRPC = join(SHARED, 'glue/MRPC');
const VOCAB = join(SHARED, 'vocab/uncased/vocab.txt');
const tmp = mkdtempSync(join(tmpdir(), 'finetuning-'));

async function run(...argv: string[]): Promise<void> {
  const { flags } = parseFlags(script.flags, argv);
  requireFlags(script.flags, flags);
  await script.main(flags, []);
}
const mrpcArgs = (split: string, out: string, len = 128) => [
  '--task_name=MRPC',
  `--data_dir=${MRPC}`,
  `--vocab_file=${VOCAB}`,
  '--do_lower_case=true',
  `--max_seq_length=${len}`,
  `--split=${split}`,
  `--output_file=${out}`,
];

/**
 * What Google's features would be at a shorter max_seq_length, derived from its 128 record alone:
 * _truncate_seq_pair only pops tokens one at a time, so truncating to L - 3 continues the same
 * sequence of pops that truncation to 125 began.
 */
function shortened(f: InputFeatures, len: number): InputFeatures {
  const real = f.inputMask.filter((m) => m === 1).length;
  const ids = f.inputIds.slice(0, real);
  const segs = f.segmentIds.slice(0, real);
  const firstSep = segs.indexOf(1) - 1;
  const a = ids.slice(1, firstSep).map(String);
  const b = ids.slice(firstSep + 1, real - 1).map(String);
  truncateSeqPair(a, b, len - 3);
  const inputIds = [ids[0]!, ...a.map(Number), ids[firstSep]!, ...b.map(Number), ids[real - 1]!];
  const segmentIds = inputIds.map((_, i) => (i <= a.length + 1 ? 0 : 1));
  const inputMask = inputIds.map(() => 1);
  while (inputIds.length < len) [inputIds, inputMask, segmentIds].forEach((l) => l.push(0));
  return { ...f, inputIds, inputMask, segmentIds };
}

describe('bert create_finetuning_data', () => {
  it("--split=dev writes Google's eval.tf_record byte for byte", async () => {
    const out = join(tmp, 'eval.tf_record');
    await run(...mrpcArgs('dev', out));
    expect(Buffer.compare(readFileSync(out), readFileSync(join(RECORDS, 'eval.tf_record')))).toBe(0);
  });

  it.each([16, 61])(
    '--max_seq_length=%i on train equals the truncation of Google’s 128 records',
    async (len) => {
      const out = join(tmp, `train${len}.tf_record`);
      await run(...mrpcArgs('train', out, len));
      const got = readFeaturesTFRecord(out, len);
      const want = readFeaturesTFRecord(join(RECORDS, 'train.tf_record'), 128);
      expect(got.length).toBe(3668);
      for (let i = 0; i < want.length; i++) expect([i, got[i]]).toEqual([i, shortened(want[i]!, len)]);
    },
  );

  it('--split=test: 1725 records, label 0, all real', async () => {
    const out = join(tmp, 'predict.tf_record');
    await run(...mrpcArgs('test', out));
    const got = readFeaturesTFRecord(out, 128);
    expect(got.length).toBe(1725);
    expect(got.every((f) => f.labelId === 0 && f.isRealExample)).toBe(true);
    expect(got.every((f) => f.inputIds[0] === 101 && f.segmentIds.includes(1))).toBe(true);
  });

  it('usage errors: unknown task, bad split, missing flag; nothing written', async () => {
    const out = join(tmp, 'never.tf_record');
    const args = mrpcArgs('dev', out);
    await expect(run(...args.map((a) => a.replace('MRPC', 'QUAC')))).rejects.toThrow(
      /^Task not found: QUAC; known tasks: cola, mnli/,
    );
    await expect(run(...args.map((a) => a.replace('=dev', '=valid')))).rejects.toThrow(
      "--split: 'valid' is not one of train, dev, test",
    );
    await expect(run(...args.slice(1))).rejects.toThrow(UsageError);
    expect(readdirSync(tmp).filter((n) => n.startsWith('never'))).toEqual([]);
  });

  it('a malformed row fails with file and line, leaving no output', async () => {
    const lines = readFileSync(join(MRPC, 'dev.tsv'), 'utf8').split('\n');
    lines[300] = lines[300]!.split('\t').slice(0, 3).join('\t');
    writeFileSync(join(tmp, 'dev.tsv'), lines.join('\n'));
    const out = join(tmp, 'bad.tf_record');
    const args = mrpcArgs('dev', out).map((a) => (a.startsWith('--data_dir') ? `--data_dir=${tmp}` : a));
    await expect(run(...args)).rejects.toThrow(
      `${join(tmp, 'dev.tsv')}: line 301: expected at least 5 tab-separated fields, found 3`,
    );
    expect(readdirSync(tmp).filter((n) => n.startsWith('bad'))).toEqual([]);
  });
});
