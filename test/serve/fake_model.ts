// A ServedModel with a closed-form answer for every text, for the tests of the HTTP layer alone
// (routing, validation, batching, errors): probabilities are a function of the text's characters,
// so a test can compute what each instance must get. The real model's answers are checked
// against Classifier.predict in serve_cli.test.ts.
import type {
  Encoded,
  Pooling,
  Prediction,
  ServedModel,
  TextPair,
} from '../../src/serve/served_model.js';

function score(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.codePointAt(0)!) % 1000;
  return h / 1000;
}

export function fakePrediction(labels: readonly string[], p: TextPair): Prediction {
  const x = score(p.textA + '\u0000' + (p.textB ?? ''));
  const [l0, l1] = [labels[0]!, labels[1]!];
  return { label: x > 0.5 ? l1 : l0, probabilities: { [l0]: 1 - x, [l1]: x } };
}

export function fakeEmbedding(text: string, pooling: Pooling): number[] {
  const base = score(text);
  return [base, POOL_OFFSET[pooling], text.length, -base];
}

const POOL_OFFSET: Record<Pooling, number> = { cls: 0, mean: 1, pooled: 2 };

export class FakeModel implements ServedModel {
  readonly dir = '/fake';
  readonly maxSeqLength = 16;
  readonly hiddenSize = 4;
  readonly numThreads = 1;
  readonly engine = 'fake x1';
  /** The pairs of every predict call, one array per call. */
  readonly predictCalls: TextPair[][] = [];
  disposed = false;

  constructor(readonly labels: readonly string[] | null = ['0', '1']) {}

  async predict(pairs: readonly TextPair[]): Promise<Prediction[]> {
    if (this.labels === null) throw new Error('internal: predict on an encoder');
    this.predictCalls.push([...pairs]);
    return pairs.map((p) => fakePrediction(this.labels!, p));
  }

  async embed(texts: readonly string[], pooling: Pooling): Promise<number[][]> {
    return texts.map((t) => fakeEmbedding(t, pooling));
  }

  tokenize(textA: string, textB?: string): Encoded {
    const tokens = ['[CLS]', ...textA.split(' '), '[SEP]'];
    if (textB !== undefined) tokens.push(...textB.split(' '), '[SEP]');
    return {
      tokens,
      inputIds: tokens.map((t) => t.length),
      inputMask: tokens.map(() => 1),
      segmentIds: tokens.map(() => 0),
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
