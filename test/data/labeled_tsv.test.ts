import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labeledTsvProcessor } from '../../src/data/glue/labeled_tsv.js';
import { FormatError } from '../../src/util/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'labeled-tsv-'));
let n = 0;
function dataDir(files: Record<string, string>): string {
  const dir = join(tmp, String(n++));
  mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}
const tuple = (e: { guid: string; textA: string; textB: string | null; label: string }) => [
  e.guid,
  e.textA,
  e.textB,
  e.label,
];

describe('label<TAB>text_a[<TAB>text_b] files', () => {
  it('pairs: labels sorted from train.tsv, guids by line, dev read with the same layout', () => {
    const dir = dataDir({
      'train.tsv': 'pos\tA cat.\tA dog.\nneg\tRain.\tSun.\npos\tYes.\tNo.\n',
      'dev.tsv': 'neg\tX.\tY.\n',
    });
    const p = labeledTsvProcessor(dir);
    expect(p.getLabels()).toEqual(['neg', 'pos']);
    expect(p.isRegression).toBe(false);
    expect(p.getTrainExamples(dir).map(tuple)).toEqual([
      ['train-0', 'A cat.', 'A dog.', 'pos'],
      ['train-1', 'Rain.', 'Sun.', 'neg'],
      ['train-2', 'Yes.', 'No.', 'pos'],
    ]);
    expect(p.getDevExamples(dir).map(tuple)).toEqual([['dev-0', 'X.', 'Y.', 'neg']]);
  });

  it('single texts have no text_b; a dev label train.tsv lacks names its line', () => {
    const dir = dataDir({ 'train.tsv': '1\tgood\n0\tbad\n', 'dev.tsv': '1\tfine\n2\tmeh\n' });
    const p = labeledTsvProcessor(dir);
    expect(p.getTrainExamples(dir).map(tuple)).toEqual([
      ['train-0', 'good', null, '1'],
      ['train-1', 'bad', null, '0'],
    ]);
    expect(() => p.getDevExamples(dir)).toThrow(/dev\.tsv: line 2: label '2' is not one of 0, 1/);
  });

  it('refuses a line whose column count differs, one column, four, one label, no lines', () => {
    const bad = (text: string) => () => labeledTsvProcessor(dataDir({ 'train.tsv': text }));
    expect(bad('1\ta\tb\n0\tc\n')).toThrow(FormatError);
    expect(bad('1\ta\tb\n0\tc\n')).toThrow(/train\.tsv: line 2: 2 tab-separated fields \(line 1 has 3\)/);
    expect(bad('just text\n')).toThrow(/line 1: 1 tab-separated fields/);
    expect(bad('1\ta\tb\tc\n')).toThrow(/line 1: 4 tab-separated fields/);
    expect(bad('1\ta\n1\tb\n')).toThrow(/one label \("1"\): nothing to learn/);
    expect(bad('')).toThrow(/train\.tsv: no lines/);
  });
});
