// The messages between the page (main.ts, the page's main thread) and the engine worker
// (engine_worker.ts). The engine runs in a dedicated worker because its kernel pool blocks in
// Atomics.wait, which a page's main thread may not do; the page only draws and forwards files.

/** The run_classifier flags the page sets (the rest are run_classifier's defaults). */
export interface TrainSettings {
  /** A GLUE task name of the registry, or 'labeled_tsv' (label<TAB>text_a[<TAB>text_b]). */
  readonly task: string;
  readonly learningRate: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly maxSeqLength: number;
  readonly threads: number;
  readonly seed: number;
  readonly doLowerCase: boolean;
  /** Keep only the first N training examples (0: all): a quick try on a slice. */
  readonly trainRows: number;
}

/** A file the user dropped or picked, as bytes. */
export interface UserFile {
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export type Request =
  | { readonly type: 'train'; readonly settings: TrainSettings; readonly files: UserFile[] }
  | { readonly type: 'classify'; readonly textA: string; readonly textB: string }
  | { readonly type: 'download' };

export type Reply =
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'started'; readonly threads: number }
  | {
      readonly type: 'step';
      readonly step: number;
      readonly total: number;
      readonly loss: number;
      readonly lr: number;
    }
  | { readonly type: 'trained'; readonly evalResults: Record<string, number> | null }
  | {
      readonly type: 'prediction';
      readonly label: string;
      readonly probabilities: Record<string, number>;
    }
  | { readonly type: 'zip'; readonly bytes: ArrayBuffer }
  | { readonly type: 'error'; readonly message: string };
