// The GLUE task layouts. MRPC, CoLA and MNLI are run_classifier.py's processors exactly
// (REFERENCE.md §1.3); SST-2, STS-B, QQP, QNLI, RTE and WNLI, which Google's script lacks, use the
// file layouts of Hugging Face's glue processors with Google's conventions on top: the test label
// is the first class label ("0" for STS-B) rather than None, and MNLI-mm's test guids are
// "test-<id>" like MNLI's. Columns are 0-based.
import type { SplitLayout, TaskLayout } from './processor.js';

const BINARY = ['0', '1'] as const;
const NLI = ['contradiction', 'entailment', 'neutral'] as const;
const ENTAILMENT = ['entailment', 'not_entailment'] as const;

/** A split read from `<set>.tsv` with a header, guids from a column, label in the last column. */
function pairSplit(setType: string, guid: number, a: number, b: number | null): SplitLayout {
  return { file: `${setType}.tsv`, setType, skipHeader: true, guid, textA: a, textB: b, label: 'last' };
}

function testOf(s: SplitLayout, label: string, a = s.textA, b = s.textB): SplitLayout {
  return { ...s, file: 'test.tsv', setType: 'test', textA: a, textB: b, label: { fixed: label } };
}

// Quality, #1 ID, #2 ID, #1 String, #2 String; guids are line indexes.
const mrpcTrain: SplitLayout = {
  file: 'train.tsv',
  setType: 'train',
  skipHeader: true,
  guid: 'line',
  textA: 3,
  textB: 4,
  label: 0,
};
export const MRPC: TaskLayout = {
  name: 'mrpc',
  labels: BINARY,
  isRegression: false,
  train: mrpcTrain,
  dev: { ...mrpcTrain, file: 'dev.tsv', setType: 'dev' },
  test: testOf(mrpcTrain, '0'),
};

// train/dev: source, label, original label, sentence (no header); test: index, sentence.
const colaTrain: SplitLayout = {
  file: 'train.tsv',
  setType: 'train',
  skipHeader: false,
  guid: 'line',
  textA: 3,
  textB: null,
  label: 1,
};
export const COLA: TaskLayout = {
  name: 'cola',
  labels: BINARY,
  isRegression: false,
  train: colaTrain,
  dev: { ...colaTrain, file: 'dev.tsv', setType: 'dev' },
  test: { ...testOf(colaTrain, '0', 1), skipHeader: true },
};

// index, promptID, pairID, genre, 4 parses, sentence1 (8), sentence2 (9), [labels..., gold_label].
const mnliTrain = pairSplit('train', 0, 8, 9);
export const MNLI: TaskLayout = {
  name: 'mnli',
  labels: NLI,
  isRegression: false,
  train: mnliTrain,
  dev: { ...mnliTrain, file: 'dev_matched.tsv', setType: 'dev_matched' },
  test: { ...testOf(mnliTrain, 'contradiction'), file: 'test_matched.tsv' },
};
export const MNLI_MISMATCHED: TaskLayout = {
  ...MNLI,
  name: 'mnli-mm',
  dev: { ...mnliTrain, file: 'dev_mismatched.tsv', setType: 'dev_mismatched' },
  test: { ...testOf(mnliTrain, 'contradiction'), file: 'test_mismatched.tsv' },
};

// train/dev: sentence, label (guids are line indexes); test: index, sentence.
const sst2Train: SplitLayout = { ...pairSplit('train', 0, 0, null), guid: 'line', label: 1 };
export const SST2: TaskLayout = {
  name: 'sst-2',
  labels: BINARY,
  isRegression: false,
  train: sst2Train,
  dev: { ...sst2Train, file: 'dev.tsv', setType: 'dev' },
  test: testOf(sst2Train, '0', 1),
};

// index, genre, filename, year, old_index, source1, source2, sentence1, sentence2, score.
export const STSB: TaskLayout = {
  name: 'sts-b',
  labels: [],
  isRegression: true,
  train: pairSplit('train', 0, 7, 8),
  dev: pairSplit('dev', 0, 7, 8),
  test: testOf(pairSplit('test', 0, 7, 8), '0'),
};

// train/dev: id, qid1, qid2, question1, question2, is_duplicate; test: id, question1, question2.
export const QQP: TaskLayout = {
  name: 'qqp',
  labels: BINARY,
  isRegression: false,
  train: { ...pairSplit('train', 0, 3, 4), label: 5 },
  dev: { ...pairSplit('dev', 0, 3, 4), label: 5 },
  test: testOf(pairSplit('test', 0, 1, 2), '0'),
};

/** index, sentence1 (or question), sentence2, label: QNLI, RTE and WNLI share this layout. */
function sentencePairTask(name: string, labels: readonly string[]): TaskLayout {
  return {
    name,
    labels,
    isRegression: false,
    train: pairSplit('train', 0, 1, 2),
    dev: pairSplit('dev', 0, 1, 2),
    test: testOf(pairSplit('test', 0, 1, 2), labels[0]!),
  };
}
export const QNLI = sentencePairTask('qnli', ENTAILMENT);
export const RTE = sentencePairTask('rte', ENTAILMENT);
export const WNLI = sentencePairTask('wnli', BINARY);
