// read_squad_examples + convert_examples_to_features against the Python restatement of
// run_squad.py (refgen/squad/gen.py) on the real SQuAD 1.1 dev set — max_seq_length/doc_stride/
// max_query_length 384/128/64 on all 48 articles (10,833 windows) and 64/16/16 on articles 0–5
// (many windows per question), articles 0–11 of `npm run squad`'s training split pre-shuffled
// with random.Random(12345) at 128/32/24 (answer positions, the skipped answers' warnings) — and
// on a hand-made SQuAD 2.0 file (is_impossible, U+202F, non-ASCII, an answer not found). Every window's line is compared through a sha256; sampled
// lines are compared in full first, so a difference shows where it is.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSquadExamples, type SquadExample } from '../../../src/data/squad/examples.js';
import { convertExamplesToFeatures, type SquadFeatures } from '../../../src/data/squad/features.js';
import { readSquadFile, type SquadFile } from '../../../src/data/squad/squad_json.js';
import { collectingLogger, silentLogger } from '../../../src/util/log.js';
import { PyRandom } from '../../../src/util/py_random.js';
import { devFile, fixture, trainSplit, UNCASED, V2_PATH } from './fixtures.js';

interface FeatureCase {
  name: string;
  training: boolean;
  version_2_with_negative: boolean;
  shuffled: boolean;
  max_seq_length: number;
  doc_stride: number;
  max_query_length: number;
  num_examples: number;
  num_features: number;
  warnings: string[];
  example_ids_sha256: string;
  sha256: string;
  lines: Record<string, string>;
}

const CASES = fixture<FeatureCase[]>('features.json');

/** The generator's canonical line of one window (JSON.stringify = json.dumps(ensure_ascii=False)). */
function line(ex: SquadExample, f: SquadFeatures): string {
  const docPositions = [...f.tokenToOrigMap.keys()].filter((i) => f.tokenToOrigMap[i]! >= 0);
  return JSON.stringify([
    ex.qasId,
    f.uniqueId,
    f.exampleIndex,
    f.docSpanIndex,
    f.tokens,
    docPositions.map((i) => [i, f.tokenToOrigMap[i]]),
    docPositions.map((i) => [i, f.tokenIsMaxContext[i] === 1]),
    f.inputIds,
    f.inputMask,
    f.segmentIds,
    f.startPosition,
    f.endPosition,
    f.isImpossible,
  ]);
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The input a case names: v2_small, or dev articles aN-M (first the training split for train_*). */
function source(c: FeatureCase): SquadFile {
  if (c.name.startsWith('v2_small')) return readSquadFile(V2_PATH);
  const [, first, last] = /_a(\d+)-(\d+)_/.exec(c.name)!;
  const file = c.name.startsWith('train_split') ? trainSplit(devFile()) : devFile();
  return { ...file, articles: file.articles.slice(Number(first), Number(last) + 1) };
}

/**
 * The windows' lines, converted 500 questions at a time with the event loop let run in between
 * (a whole dev set in one synchronous call can starve vitest's worker RPC on a loaded machine).
 * Each call numbers from 0 and 1000000000 again: the offsets restore the running counts.
 */
async function windowLines(examples: readonly SquadExample[], c: FeatureCase): Promise<string[]> {
  const options = {
    maxSeqLength: c.max_seq_length,
    docStride: c.doc_stride,
    maxQueryLength: c.max_query_length,
    isTraining: c.training,
  };
  const lines: string[] = [];
  for (let from = 0; from < examples.length; from += 500) {
    const chunk = examples.slice(from, from + 500);
    const ids = lines.length;
    convertExamplesToFeatures(
      chunk,
      UNCASED,
      options,
      (f) => {
        const g = { ...f, uniqueId: f.uniqueId + ids, exampleIndex: f.exampleIndex + from };
        lines.push(line(chunk[f.exampleIndex]!, g));
      },
      silentLogger,
    );
    await new Promise((resolve) => setImmediate(resolve));
  }
  return lines;
}

describe.each(CASES)('$name', (c) => {
  it(`${c.num_examples} examples → ${c.num_features} windows, every window as the Python`, async () => {
    const log = collectingLogger();
    const examples = readSquadExamples(source(c), c.training, c.version_2_with_negative, log);
    if (c.shuffled) new PyRandom(12345).shuffle(examples);
    expect(examples.length).toBe(c.num_examples);
    expect(sha256(examples.map((e) => e.qasId).join('\n'))).toBe(c.example_ids_sha256);
    const warnings = log.lines.filter((l) => l.startsWith('WARNING:')).map((l) => l.slice(8));
    expect(warnings).toEqual(c.warnings);
    const lines = await windowLines(examples, c);
    expect(lines).toHaveLength(c.num_features);
    for (const [i, want] of Object.entries(c.lines)) expect(lines[Number(i)], `window ${i}`).toBe(want);
    expect(sha256(lines.join('\n'))).toBe(c.sha256);
  }, 300_000);
});
