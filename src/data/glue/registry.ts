// run_classifier.py's `processors` dict: task name (case-insensitive) -> DataProcessor. Google's
// has cola, mnli, mrpc, xnli; the other GLUE tasks use Hugging Face's names (sst-2, sts-b, ...).
import { UsageError } from '../../util/errors.js';
import { TsvTaskProcessor, type DataProcessor, type TaskLayout } from './processor.js';
import { COLA, MNLI, MNLI_MISMATCHED, MRPC, QNLI, QQP, RTE, SST2, STSB, WNLI } from './tasks.js';
import { XNLI_DEFAULT_LANGUAGE, xnliLayout } from './xnli.js';

export interface ProcessorOptions {
  /** XNLI's language (Google hard-codes "zh"). */
  readonly xnliLanguage?: string;
}

const TASKS = new Map<string, (o: ProcessorOptions) => TaskLayout>(Object.entries({
  cola: () => COLA,
  mnli: () => MNLI,
  'mnli-mm': () => MNLI_MISMATCHED,
  mrpc: () => MRPC,
  xnli: (o) => xnliLayout(o.xnliLanguage ?? XNLI_DEFAULT_LANGUAGE),
  'sst-2': () => SST2,
  'sts-b': () => STSB,
  qqp: () => QQP,
  qnli: () => QNLI,
  rte: () => RTE,
  wnli: () => WNLI,
}));

/** The task names getProcessor knows, lower case. */
export const TASK_NAMES: readonly string[] = [...TASKS.keys()];

/** The processor for a task name (case-insensitive, as run_classifier lower-cases task_name). */
export function getProcessor(taskName: string, options: ProcessorOptions = {}): DataProcessor {
  const layout = TASKS.get(taskName.toLowerCase());
  if (layout === undefined)
    throw new UsageError(`Task not found: ${taskName}; known tasks: ${TASK_NAMES.join(', ')}`);
  return new TsvTaskProcessor(layout(options));
}
