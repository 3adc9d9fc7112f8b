// The library's tokenizer: Google's FullTokenizer with a model folder's vocabulary and casing,
// and run_classifier's encoding of a text or a pair ([CLS] a [SEP] b [SEP], segment ids, the
// original's truncation rule). Classifier and Encoder encode their inputs through it.
//   const tok = await Tokenizer.load(pretrainedModelPath());
//   tok.encode('The cat sat.', 'A cat was sitting.', { maxSeqLength: 16 })
//     → { tokens: ['[CLS]', 'the', 'cat', 'sat', '.', '[SEP]', …], inputIds: [101, 1996, …], … }
import { existsSync, statSync } from '../host/fs.js';
import { join } from 'pathe';
import { encodeText } from '../data/features.js';
import { FullTokenizer } from '../tokenization/full.js';
import { Vocab } from '../tokenization/vocab.js';
import { packFeatures, type FeatureTable } from '../train/runners/classifier_data.js';
import { UsageError } from '../util/errors.js';
import { readInputText } from '../util/fs.js';
import { checkSeqLimit, checkText, intOption, type TextPair } from './inputs.js';
import { BertConfig } from '../model/config.js';
import {
  CONFIG_FILE,
  META_FILE,
  VOCAB_FILE,
  inferredDoLowerCase,
  parseModelMeta,
  type ModelFolder,
} from './model_folder.js';

/** A text or pair as BERT reads it. Unpadded unless asked: inputMask is then all ones. */
export interface Encoding {
  readonly tokens: string[];
  readonly inputIds: number[];
  readonly inputMask: number[];
  readonly segmentIds: number[];
}

export interface EncodeOptions {
  /** Truncate to this many tokens, [CLS] and [SEP] included (default: the folder's max_seq_length). */
  readonly maxSeqLength?: number;
  /** Pad with id 0 (mask 0, segment 0) to maxSeqLength, as run_classifier's features are. */
  readonly pad?: boolean;
}

export interface TokenizerLoadOptions {
  /** Lower-case and strip accents (default: bert_ts.json's do_lower_case, else by folder name). */
  readonly doLowerCase?: boolean;
}

/** Without bert_ts.json: the limit of Google's released models. */
const DEFAULT_MAX_SEQ = 512;

export class Tokenizer {
  private constructor(
    /** Google's FullTokenizer underneath (tokenization.py). */
    readonly full: FullTokenizer,
    /** The default of encode's maxSeqLength. */
    readonly maxSeqLength: number,
    /** The model's max_position_embeddings when the folder has a bert_config.json, else none. */
    private readonly positionLimit: number = Number.MAX_SAFE_INTEGER,
  ) {}

  /**
   * Loads the tokenizer of a model folder (its vocab.txt, bert_ts.json's casing and
   * max_seq_length, and bert_config.json's max_position_embeddings as the limit of encode's
   * maxSeqLength), of a folder holding only vocab.txt, or of a vocab.txt file.
   */
  static async load(path: string, opts: TokenizerLoadOptions = {}): Promise<Tokenizer> {
    if (!existsSync(path)) throw new UsageError(`${path}: no such file or folder`);
    const isFile = statSync(path).isFile();
    const vocabFile = isFile ? path : join(path, VOCAB_FILE);
    if (!existsSync(vocabFile))
      throw new UsageError(`${path}: no ${VOCAB_FILE}`, 'pass a model folder or a vocab.txt file');
    const metaFile = join(path, META_FILE);
    const meta =
      !isFile && existsSync(metaFile)
        ? parseModelMeta(readInputText(metaFile, 'model file'), metaFile)
        : null;
    const lower = opts.doLowerCase ?? meta?.do_lower_case ?? (isFile || inferredDoLowerCase(path));
    const full = new FullTokenizer(Vocab.fromFile(vocabFile), lower);
    const configFile = join(path, CONFIG_FILE);
    const limit =
      !isFile && existsSync(configFile)
        ? BertConfig.fromJsonFile(configFile).max_position_embeddings
        : undefined;
    return new Tokenizer(full, meta?.max_seq_length ?? DEFAULT_MAX_SEQ, limit);
  }

  /** The tokenizer of a folder already read (Classifier and Encoder use it). */
  static fromFolder(folder: ModelFolder, maxSeqLength: number): Tokenizer {
    const full = new FullTokenizer(Vocab.fromFile(folder.vocabFile), folder.meta.do_lower_case);
    return new Tokenizer(full, maxSeqLength, folder.config.max_position_embeddings);
  }

  get doLowerCase(): boolean {
    return this.full.doLowerCase;
  }

  /** Word pieces of `text` (BasicTokenizer, then WordPiece; [UNK] for what the vocabulary lacks). */
  tokenize(text: string): string[] {
    return this.full.tokenize(checkText(text, 'text', 'Tokenizer.tokenize'));
  }

  /** [CLS] textA [SEP] (textB [SEP]) with ids, mask and segment ids, truncated as run_classifier does. */
  encode(textA: string, textB?: string | null, opts: EncodeOptions = {}): Encoding {
    const a = checkText(textA, 'textA', 'Tokenizer.encode');
    const b =
      textB === undefined || textB === null ? null : checkText(textB, 'textB', 'Tokenizer.encode');
    checkSeqLimit(opts.maxSeqLength, this.positionLimit);
    const T = intOption(
      opts.maxSeqLength,
      'maxSeqLength',
      this.maxSeqLength,
      3,
      this.positionLimit,
    );
    return encodeText(a, b, T, this.full, opts.pad ?? false);
  }

  /** Checked inputs as run_classifier's packed features (labels 0), padded to T. */
  features(pairs: readonly TextPair[], T: number): FeatureTable {
    const rows = pairs.map((p) => ({
      ...encodeText(p.textA, p.textB ?? null, T, this.full, true),
      labelId: 0,
      isRealExample: true,
    }));
    return packFeatures(rows, T);
  }
}
