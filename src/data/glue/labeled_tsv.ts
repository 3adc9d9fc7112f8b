// The simplest labelled TSV a user has at hand: `label<TAB>text_a` or `label<TAB>text_a<TAB>text_b`
// per line, no header, in data_dir/train.tsv (and dev.tsv to evaluate). The web page takes it
// beside the GLUE layouts. It is a TaskLayout like the GLUE tasks (read by the same
// TsvTaskProcessor), whose labels and pair-ness are read off train.tsv: the labels are its
// distinct first columns, sorted, so the same file always gives the same label ids.
import { join } from 'pathe';
import { FormatError } from '../../util/errors.js';
import { readTsv } from '../tsv.js';
import { TsvTaskProcessor, type SplitLayout, type TaskLayout } from './processor.js';

/** The task name bert_ts.json records for such a run. */
export const LABELED_TSV_TASK = 'labeled_tsv';

const HINT = 'expected label<TAB>text_a or label<TAB>text_a<TAB>text_b on every line, no header';

/** The layout of data_dir/train.tsv: its sorted labels and whether its lines carry a text_b. */
export function labeledTsvLayout(dataDir: string): TaskLayout {
  const path = join(dataDir, 'train.tsv');
  const rows = readTsv(path);
  if (rows.length === 0) throw new FormatError(`${path}: no lines`, HINT);
  const columns = rows[0]!.fields.length;
  for (const row of rows) {
    const n = row.fields.length;
    if (n !== columns || n < 2 || n > 3)
      throw new FormatError(
        `${path}: line ${row.index + 1}: ${n} tab-separated fields (line 1 has ${columns})`,
        HINT,
      );
  }
  const labels = [...new Set(rows.map((r) => r.fields[0]!))].sort();
  if (labels.length < 2)
    throw new FormatError(`${path}: one label (${JSON.stringify(labels[0])}): nothing to learn`, HINT);
  const train: SplitLayout = {
    file: 'train.tsv',
    setType: 'train',
    skipHeader: false,
    guid: 'line',
    textA: 1,
    textB: columns === 3 ? 2 : null,
    label: 0,
  };
  const dev = { ...train, file: 'dev.tsv', setType: 'dev' };
  return { name: LABELED_TSV_TASK, labels, isRegression: false, train, dev, test: null };
}

/** The DataProcessor of data_dir's labelled TSV files. */
export function labeledTsvProcessor(dataDir: string): TsvTaskProcessor {
  return new TsvTaskProcessor(labeledTsvLayout(dataDir));
}
