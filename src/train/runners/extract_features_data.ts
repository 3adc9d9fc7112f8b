// extract_features.py's input and output: read_examples (one example per GFile line, "a ||| b"
// for pairs), convert_examples_to_features (its own copy of the [CLS] a [SEP] b [SEP] layout,
// with the ids padded to max_seq_length), and the JSON line written per example (Python's default
// json.dumps: ", " and ": " separators, ASCII-escaped strings, values round(float(x), 6) printed
// as repr, and the original's key typo `linex_index`).
import { truncateSeqPair, type ExampleTokenizer } from '../../data/features.js';
import { readGfileLines } from '../../data/pretraining/input_files.js';
import { pyStrip } from '../../util/unicode.js';
import type { Logger } from '../../util/log.js';
import { pyJsonFloat, pyJsonString, pyRoundTo } from '../../util/py_format.js';

export interface ExtractExample {
  readonly uniqueId: number;
  readonly textA: string;
  readonly textB: string | null;
}

export interface ExtractFeatures {
  readonly uniqueId: number;
  readonly tokens: string[];
  /** Padded to max_seq_length, as the original feeds them. */
  readonly inputIds: number[];
  readonly inputMask: number[];
  readonly inputTypeIds: number[];
}

// Python's re.match(r"^(.*) \|\|\| (.*)$", line): "." is anything but "\n"; greedy, so text_a
// runs to the LAST " ||| ".
const PAIR = /^([^\n]*) \|\|\| ([^\n]*)$/;

/** read_examples: every line (blank ones included) is an example; unique ids count from 0. */
export function readExtractExamples(path: string): ExtractExample[] {
  const examples: ExtractExample[] = [];
  for (const { text } of readGfileLines(path)) {
    const line = pyStrip(text);
    const m = PAIR.exec(line);
    const uniqueId = examples.length;
    examples.push(
      m === null
        ? { uniqueId, textA: line, textB: null }
        : { uniqueId, textA: m[1]!, textB: m[2]! },
    );
  }
  return examples;
}

/** extract_features.convert_examples_to_features, logging the first 5 like the original. */
export function convertExtractExamples(
  examples: readonly ExtractExample[],
  seqLength: number,
  tokenizer: ExampleTokenizer,
  logger: Logger,
): ExtractFeatures[] {
  return examples.map((example, index) => {
    let tokensA = tokenizer.tokenize(example.textA);
    // `if example.text_b:` then `if tokens_b:` — an empty b is a single sentence.
    const tokensB = example.textB ? tokenizer.tokenize(example.textB) : [];
    if (tokensB.length > 0) truncateSeqPair(tokensA, tokensB, seqLength - 3);
    else if (tokensA.length > seqLength - 2) tokensA = tokensA.slice(0, seqLength - 2);
    const tokens = ['[CLS]', ...tokensA, '[SEP]'];
    const inputTypeIds = tokens.map(() => 0);
    if (tokensB.length > 0) {
      tokens.push(...tokensB, '[SEP]');
      for (let i = 0; i <= tokensB.length; i++) inputTypeIds.push(1);
    }
    const inputIds = tokenizer.convertTokensToIds(tokens);
    const inputMask = inputIds.map(() => 1);
    while (inputIds.length < seqLength) {
      inputIds.push(0);
      inputMask.push(0);
      inputTypeIds.push(0);
    }
    const f = { uniqueId: example.uniqueId, tokens, inputIds, inputMask, inputTypeIds };
    if (index < 5) logExample(f, logger);
    return f;
  });
}

function logExample(f: ExtractFeatures, logger: Logger): void {
  logger.info('*** Example ***');
  logger.info(`unique_id: ${f.uniqueId}`);
  logger.info(`tokens: ${f.tokens.join(' ')}`);
  logger.info(`input_ids: ${f.inputIds.join(' ')}`);
  logger.info(`input_mask: ${f.inputMask.join(' ')}`);
  logger.info(`input_type_ids: ${f.inputTypeIds.join(' ')}`);
}

/**
 * One output line: {"linex_index": id, "features": [{"token": t, "layers": [{"index": i,
 * "values": [...]}, ...]}, ...]} for every token of the example (padding excluded). layerRows[j]
 * holds the example's (T,C) rows of layer layerIndexes[j].
 */
export function formatFeatureLine(
  f: ExtractFeatures,
  layerIndexes: readonly number[],
  layerRows: readonly Float32Array[],
  C: number,
): string {
  const features = f.tokens.map((token, i) => {
    const layers = layerIndexes.map((index, j) => {
      const row = layerRows[j]!.subarray(i * C, (i + 1) * C);
      const values = Array.from(row, (x) => pyJsonFloat(pyRoundTo(x, 6))).join(', ');
      return `{"index": ${index}, "values": [${values}]}`;
    });
    return `{"token": ${pyJsonString(token)}, "layers": [${layers.join(', ')}]}`;
  });
  return `{"linex_index": ${f.uniqueId}, "features": [${features.join(', ')}]}\n`;
}
