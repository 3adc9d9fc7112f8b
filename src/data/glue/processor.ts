// run_classifier.py's DataProcessor and InputExample. Every GLUE task reads TSV files the same
// way and differs only in which file, which columns and which guid it uses, so a task here is a
// declarative TaskLayout (tasks.ts, xnli.ts) run by one TsvTaskProcessor, instead of one
// _create_examples loop per class as in the Python.
import { join } from 'pathe';
import { FormatError, UsageError } from '../../util/errors.js';
import { parsePyFloat } from '../py_float.js';
import { readTsv, type TsvRow } from '../tsv.js';

/** One example: run_classifier.InputExample(guid, text_a, text_b, label). */
export interface InputExample {
  readonly guid: string;
  readonly textA: string;
  /** null for single-sentence tasks; an empty string also counts as "no b" (Python truthiness). */
  readonly textB: string | null;
  /** A label of getLabels(), or for regression tasks the score as written in the file. */
  readonly label: string;
}

export interface DataProcessor {
  readonly name: string;
  getTrainExamples(dataDir: string): InputExample[];
  getDevExamples(dataDir: string): InputExample[];
  getTestExamples(dataDir: string): InputExample[];
  /** Class labels in id order; empty for regression. */
  getLabels(): string[];
  readonly isRegression: boolean;
}

/** Where a split's fields are: column numbers are 0-based, as Python's line[i]. */
export interface SplitLayout {
  /** Path under data_dir. */
  readonly file: string;
  /** The guid prefix (Python's set_type). */
  readonly setType: string;
  /** Skip line 0. */
  readonly skipHeader: boolean;
  /** guid suffix: 'line' = the line's index in the file (header included), or a column's value. */
  readonly guid: 'line' | number;
  readonly textA: number;
  readonly textB: number | null;
  /** A column, 'last' (Python's line[-1]), or a fixed label (test sets have none). */
  readonly label: number | 'last' | { readonly fixed: string };
  /** Keep only rows whose column equals the value (XNLI dev keeps one language). */
  readonly keepIf?: { readonly column: number; readonly equals: string };
  /** Labels written differently in the file (XNLI train's "contradictory"). */
  readonly renameLabels?: Readonly<Record<string, string>>;
}

export interface TaskLayout {
  readonly name: string;
  readonly labels: readonly string[];
  readonly isRegression: boolean;
  readonly train: SplitLayout;
  readonly dev: SplitLayout;
  /** null when the task has no test set (XNLI); asking for it is a UsageError. */
  readonly test: SplitLayout | null;
}

function columnsNeeded(s: SplitLayout): number {
  const cols = [s.textA, s.textB ?? 0, s.keepIf?.column ?? 0];
  if (typeof s.guid === 'number') cols.push(s.guid);
  if (typeof s.label === 'number') cols.push(s.label);
  return Math.max(...cols) + 1;
}

function labelOf(fields: string[], split: SplitLayout): string {
  if (typeof split.label === 'object') return split.label.fixed;
  const raw = split.label === 'last' ? fields.at(-1)! : fields[split.label]!;
  return split.renameLabels?.[raw] ?? raw;
}

function checkLabel(task: TaskLayout, label: string, where: string): void {
  if (task.isRegression) {
    if (parsePyFloat(label) === null)
      throw new FormatError(`${where}: score '${label}' is not a number (${task.name} is regression)`);
  } else if (!task.labels.includes(label)) {
    throw new FormatError(`${where}: label '${label}' is not one of ${task.labels.join(', ')}`);
  }
}

function exampleOf(task: TaskLayout, split: SplitLayout, row: TsvRow, path: string): InputExample {
  const where = `${path}: line ${row.index + 1}`;
  const f = row.fields;
  const label = labelOf(f, split);
  checkLabel(task, label, where);
  const guid = split.guid === 'line' ? String(row.index) : f[split.guid]!;
  return {
    guid: `${split.setType}-${guid}`,
    textA: f[split.textA]!,
    textB: split.textB === null ? null : f[split.textB]!,
    label,
  };
}

/** The examples of one split, as the Python _create_examples loop builds them. */
export function readSplit(task: TaskLayout, split: SplitLayout, dataDir: string): InputExample[] {
  const path = join(dataDir, split.file);
  const need = columnsNeeded(split);
  const examples: InputExample[] = [];
  for (const row of readTsv(path)) {
    if (split.skipHeader && row.index === 0) continue;
    const keep = split.keepIf;
    if (keep && row.fields.length > keep.column && row.fields[keep.column] !== keep.equals) continue;
    if (row.fields.length < need)
      throw new FormatError(
        `${path}: line ${row.index + 1}: expected at least ${need} tab-separated fields, found ${row.fields.length}`,
        `the ${task.name} ${split.setType} layout reads columns up to ${need - 1}`,
      );
    examples.push(exampleOf(task, split, row, path));
  }
  return examples;
}

/** A DataProcessor for a TaskLayout. */
export class TsvTaskProcessor implements DataProcessor {
  constructor(readonly layout: TaskLayout) {}

  get name(): string {
    return this.layout.name;
  }
  get isRegression(): boolean {
    return this.layout.isRegression;
  }
  getTrainExamples(dataDir: string): InputExample[] {
    return readSplit(this.layout, this.layout.train, dataDir);
  }
  getDevExamples(dataDir: string): InputExample[] {
    return readSplit(this.layout, this.layout.dev, dataDir);
  }
  getTestExamples(dataDir: string): InputExample[] {
    if (this.layout.test === null)
      throw new UsageError(`task ${this.layout.name} has no test set`, 'use the train or dev split');
    return readSplit(this.layout, this.layout.test, dataDir);
  }
  getLabels(): string[] {
    return [...this.layout.labels];
  }
}
