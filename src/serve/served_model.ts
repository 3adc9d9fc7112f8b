// What the server needs of a model: the library API's Classifier / Encoder / Tokenizer calls
// (predict, embed, tokenize) behind one object that knows whether a classifier head is there.
// The HTTP layer is written against this interface only, so it can be tested without weights.

export interface TextPair {
  readonly textA: string;
  readonly textB?: string;
}

/** Classifier.predict's answer for one pair. */
export interface Prediction {
  readonly label: string;
  readonly probabilities: Readonly<Record<string, number>>;
  /** A regression model's (STS-B) score; label is then its text and probabilities empty. */
  readonly score?: number;
}

export const POOLINGS = ['cls', 'mean', 'pooled'] as const;
export type Pooling = (typeof POOLINGS)[number];

/** Tokenizer.encode's answer: truncated to the model's max_seq_length as run_classifier does, unpadded. */
export interface Encoded {
  readonly tokens: readonly string[];
  readonly inputIds: ArrayLike<number>;
  readonly inputMask: ArrayLike<number>;
  readonly segmentIds: ArrayLike<number>;
}

export interface ServedModel {
  /** The folder it was loaded from, for the startup line. */
  readonly dir: string;
  /** The classifier's labels in output order; [] for regression; null for a bare encoder. */
  readonly labels: readonly string[] | null;
  readonly maxSeqLength: number;
  readonly hiddenSize: number;
  readonly numThreads: number;
  /** The kernel set the model runs on ('native-avx512 x2', 'wasm-relaxed-simd x2'), for the startup line. */
  readonly engine: string;
  /** One prediction per pair, truncated to maxSeqLength as run_classifier does. */
  predict(pairs: readonly TextPair[]): Promise<Prediction[]>;
  /** One vector of hiddenSize per text. */
  embed(texts: readonly string[], pooling: Pooling): Promise<ArrayLike<number>[]>;
  tokenize(textA: string, textB?: string): Encoded;
  dispose(): Promise<void>;
}
