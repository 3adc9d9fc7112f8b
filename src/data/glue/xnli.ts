// run_classifier.py's XnliProcessor: train on the machine-translated MultiNLI of one language,
// evaluate on that language's rows of the XNLI dev set. Google hard-codes the language to "zh";
// here it is a parameter with that default. XNLI has no test set (the Python base class raises).
import type { TaskLayout } from './processor.js';

export const XNLI_DEFAULT_LANGUAGE = 'zh';

export function xnliLayout(language = XNLI_DEFAULT_LANGUAGE): TaskLayout {
  return {
    name: 'xnli',
    labels: ['contradiction', 'entailment', 'neutral'],
    isRegression: false,
    // premise, hypo, label; the translated files say "contradictory".
    train: {
      file: `multinli/multinli.train.${language}.tsv`,
      setType: 'train',
      skipHeader: true,
      guid: 'line',
      textA: 0,
      textB: 1,
      label: 2,
      renameLabels: { contradictory: 'contradiction' },
    },
    // language, gold_label, ..., sentence1 (6), sentence2 (7), ...; guids count every language.
    dev: {
      file: 'xnli.dev.tsv',
      setType: 'dev',
      skipHeader: true,
      guid: 'line',
      textA: 6,
      textB: 7,
      label: 1,
      keepIf: { column: 0, equals: language },
    },
    test: null,
  };
}
