import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputExample } from '../../src/data/glue/processor.js';
import { getProcessor, TASK_NAMES } from '../../src/data/glue/registry.js';
import { FormatError, UsageError } from '../../src/util/errors.js';
import { REPO, SHARED } from '../shared.js';

// From refgen/glue_examples.py: the Python processors' loops over the real GLUE files.
interface SplitSummary {
  count: number;
  first: [string, string, string | null, string];
  last: [string, string, string | null, string];
  labels: Record<string, number> | null;
  sha256: string;
}
const WANT = JSON.parse(
  readFileSync(join(REPO, 'test/data/fixtures/glue_examples.json'), 'utf8'),
) as Record<string, SplitSummary>;
const FOLDER: Record<string, string> = {
  mrpc: 'MRPC',
  cola: 'CoLA',
  'sst-2': 'SST-2',
  'sts-b': 'STS-B',
  rte: 'RTE',
  wnli: 'WNLI',
};

const tuple = (e: InputExample) => [e.guid, e.textA, e.textB, e.label];

function digest(examples: InputExample[]): string {
  const h = createHash('sha256');
  for (const e of examples) {
    h.update(`${e.guid}\t${e.textA}\t${e.textB ?? ''}\t${e.label}\n`);
    if (e.textB === null) h.update('\x00');
  }
  return h.digest('hex');
}

function labelCounts(examples: InputExample[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const e of examples) c[e.label] = (c[e.label] ?? 0) + 1;
  return c;
}

describe.each(Object.keys(WANT))('%s on the real GLUE file equals the Python loop', (key) => {
  const [task, split] = key.split('/') as [string, 'train' | 'dev' | 'test'];
  const p = getProcessor(task);
  const dir = join(SHARED, 'glue', FOLDER[task]!);
  const examples =
    split === 'train'
      ? p.getTrainExamples(dir)
      : split === 'dev'
        ? p.getDevExamples(dir)
        : p.getTestExamples(dir);
  const want = WANT[key]!;

  it('count, first and last example, label histogram', () => {
    expect(examples.length).toBe(want.count);
    expect(tuple(examples[0]!)).toEqual(want.first);
    expect(tuple(examples.at(-1)!)).toEqual(want.last);
    if (want.labels) expect(labelCounts(examples)).toEqual(want.labels);
  });
  it('every guid, text and label (sha256 over all examples)', () => {
    expect(digest(examples)).toBe(want.sha256);
  });
});

describe('processor metadata', () => {
  it('labels and regression flags', () => {
    expect(getProcessor('MRPC').getLabels()).toEqual(['0', '1']);
    expect(getProcessor('MnLi').getLabels()).toEqual(['contradiction', 'entailment', 'neutral']);
    expect(getProcessor('rte').getLabels()).toEqual(['entailment', 'not_entailment']);
    expect(getProcessor('sts-b').getLabels()).toEqual([]);
    expect(getProcessor('sts-b').isRegression).toBe(true);
    expect(getProcessor('cola').isRegression).toBe(false);
  });
  it('an unknown task is a usage error listing the known ones', () => {
    expect(() => getProcessor('squad')).toThrow(UsageError);
    expect(() => getProcessor('squad')).toThrow(
      `Task not found: squad; known tasks: ${TASK_NAMES.join(', ')}`,
    );
    expect(TASK_NAMES).toContain('mnli-mm');
  });
});

const tmp = mkdtempSync(join(tmpdir(), 'glue-'));
function taskDir(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}
const row = (...f: string[]) => f.join('\t') + '\n';

describe('layouts without real files here (MNLI, QQP, QNLI, XNLI): synthetic files', () => {
  const mnliRow = (id: string, s1: string, s2: string, ...labels: string[]) =>
    row(id, 'p', 'q', 'fiction', 'b1', 'b2', 'p1', 'p2', s1, s2, ...labels);
  const mnliHeader = mnliRow('index', 'sentence1', 'sentence2', 'gold_label');
  const mnli = taskDir('MNLI', {
    'train.tsv': mnliHeader + mnliRow('7', 'A.', 'B.', 'neutral'),
    'dev_matched.tsv': mnliHeader + mnliRow('3', 'C.', 'D.', 'neutral', 'entailment'),
    'dev_mismatched.tsv': mnliHeader + mnliRow('5', 'E.', 'F.', 'contradiction'),
    'test_matched.tsv': mnliRow('index', 's1', 's2') + mnliRow('9', 'G.', 'H.'),
    'test_mismatched.tsv': mnliRow('index', 's1', 's2') + mnliRow('11', 'I.', 'J.'),
  });

  it('MNLI: guids from column 0, label from the last column, test label "contradiction"', () => {
    const p = getProcessor('mnli');
    expect(p.getTrainExamples(mnli).map(tuple)).toEqual([['train-7', 'A.', 'B.', 'neutral']]);
    expect(p.getDevExamples(mnli).map(tuple)).toEqual([['dev_matched-3', 'C.', 'D.', 'entailment']]);
    expect(p.getTestExamples(mnli).map(tuple)).toEqual([['test-9', 'G.', 'H.', 'contradiction']]);
    const mm = getProcessor('mnli-mm');
    expect(mm.getDevExamples(mnli).map(tuple)).toEqual([
      ['dev_mismatched-5', 'E.', 'F.', 'contradiction'],
    ]);
    expect(mm.getTestExamples(mnli).map(tuple)).toEqual([['test-11', 'I.', 'J.', 'contradiction']]);
  });

  it('QQP and QNLI', () => {
    const qqp = taskDir('QQP', {
      'train.tsv': row('id', 'qid1', 'qid2', 'question1', 'question2', 'is_duplicate') +
        row('201', '1', '2', 'Why?', 'How?', '1'),
      'test.tsv': row('id', 'question1', 'question2') + row('0', 'Who?', 'When?'),
    });
    expect(getProcessor('qqp').getTrainExamples(qqp).map(tuple)).toEqual([['train-201', 'Why?', 'How?', '1']]);
    expect(getProcessor('qqp').getTestExamples(qqp).map(tuple)).toEqual([['test-0', 'Who?', 'When?', '0']]);
    const qnli = taskDir('QNLI', {
      'dev.tsv': row('index', 'question', 'sentence', 'label') + row('4', 'Q?', 'S.', 'not_entailment'),
    });
    expect(getProcessor('qnli').getDevExamples(qnli).map(tuple)).toEqual([
      ['dev-4', 'Q?', 'S.', 'not_entailment'],
    ]);
  });

  const xnliDevRow = (lang: string, label: string, a: string, b: string) =>
    row(lang, label, 'x', 'y', 'z', 'w', a, b, 'more');
  const xnli = taskDir('XNLI', {
    'multinli/multinli.train.zh.tsv': row('premise', 'hypo', 'label') + row('甲', '乙', 'contradictory') + row('丙', '丁', 'neutral'),
    'multinli/multinli.train.de.tsv': row('premise', 'hypo', 'label') + row('Ja', 'Nein', 'entailment'),
    'xnli.dev.tsv': row('language', 'gold_label', 'a', 'b', 'c', 'd', 'sentence1', 'sentence2', 'e') +
      xnliDevRow('de', 'neutral', 'Eins', 'Zwei') +
      xnliDevRow('zh', 'entailment', '一', '二') +
      xnliDevRow('zh', 'neutral', '三', '四'),
  });

  it('XNLI: zh by default, "contradictory" renamed, dev guids count every language', () => {
    const p = getProcessor('XNLI');
    expect(p.getTrainExamples(xnli).map(tuple)).toEqual([
      ['train-1', '甲', '乙', 'contradiction'],
      ['train-2', '丙', '丁', 'neutral'],
    ]);
    expect(p.getDevExamples(xnli).map(tuple)).toEqual([
      ['dev-2', '一', '二', 'entailment'],
      ['dev-3', '三', '四', 'neutral'],
    ]);
    const de = getProcessor('xnli', { xnliLanguage: 'de' });
    expect(de.getTrainExamples(xnli).map(tuple)).toEqual([['train-1', 'Ja', 'Nein', 'entailment']]);
    expect(de.getDevExamples(xnli).map(tuple)).toEqual([['dev-1', 'Eins', 'Zwei', 'neutral']]);
  });

  it('XNLI has no test set', () => {
    expect(() => getProcessor('xnli').getTestExamples(xnli)).toThrow(UsageError);
    expect(() => getProcessor('xnli').getTestExamples(xnli)).toThrow('task xnli has no test set');
  });
});

describe('bad rows name the file and the line', () => {
  const mrpcLines = readFileSync(join(SHARED, 'glue/MRPC/dev.tsv'), 'utf8').split('\n');

  it('a row with missing columns', () => {
    const lines = [...mrpcLines];
    lines[5] = lines[5]!.split('\t').slice(0, 4).join('\t');
    const dir = taskDir('mrpc-short', { 'dev.tsv': lines.join('\n') });
    const path = join(dir, 'dev.tsv');
    expect(() => getProcessor('mrpc').getDevExamples(dir)).toThrow(FormatError);
    expect(() => getProcessor('mrpc').getDevExamples(dir)).toThrow(
      `${path}: line 6: expected at least 5 tab-separated fields, found 4`,
    );
  });

  it('a blank line inside the data (csv gives an empty row)', () => {
    const dir = taskDir('cola-blank', { 'train.tsv': row('gj04', '1', '', 'Fine.') + '\n' });
    expect(() => getProcessor('cola').getTrainExamples(dir)).toThrow(
      `${join(dir, 'train.tsv')}: line 2: expected at least 4 tab-separated fields, found 0`,
    );
  });

  it('an unknown label', () => {
    const lines = [...mrpcLines];
    lines[3] = '2' + lines[3]!.slice(1);
    const dir = taskDir('mrpc-label', { 'dev.tsv': lines.join('\n') });
    expect(() => getProcessor('mrpc').getDevExamples(dir)).toThrow(
      `${join(dir, 'dev.tsv')}: line 4: label '2' is not one of 0, 1`,
    );
  });

  it('a regression score that is not a number', () => {
    const header = row('index', 'genre', 'filename', 'year', 'old_index', 'source1', 'source2', 'sentence1', 'sentence2', 'score');
    const ok = row('0', 'g', 'f', 'y', 'o', 'n', 'n', 'A.', 'B.', '3.800');
    const bad = row('1', 'g', 'f', 'y', 'o', 'n', 'n', 'A.', 'B.', 'high');
    const dir = taskDir('stsb-bad', { 'train.tsv': header + ok + bad });
    expect(() => getProcessor('sts-b').getTrainExamples(dir)).toThrow(
      `${join(dir, 'train.tsv')}: line 3: score 'high' is not a number (sts-b is regression)`,
    );
  });
});
