// The tokenizer files of a Hugging Face BERT folder: tokenizer.json (the `tokenizers` library's
// serialisation, which transformers.js and PreTrainedTokenizerFast load), tokenizer_config.json
// and special_tokens_map.json — Google's FullTokenizer spelled in their terms:
//
//   BasicTokenizer._clean_text, _tokenize_chinese_chars, lower + strip accents  -> BertNormalizer
//   whitespace + _run_split_on_punc                                              -> BertPreTokenizer
//   WordpieceTokenizer (greedy longest match, "##", max 200 chars per word)       -> WordPiece
//   [CLS] A [SEP] (B [SEP]), segment ids 0 then 1                                 -> TemplateProcessing
//   truncate_seq_pair to max_seq_length (pop from the longer side)               -> LongestFirst
//
// Where the Hugging Face implementations still differ from Google's rules (their control and
// whitespace sets, CJK detection by UTF-16 unit in transformers.js, special tokens matched in the
// raw text) the differences are listed in docs/library.md ("Export").
import type { Vocab } from '../tokenization/vocab.js';
import { ConfigError } from '../util/errors.js';

export interface TokenizerExportOptions {
  readonly doLowerCase: boolean;
  /** Google's max_seq_length: truncation length and model_max_length. */
  readonly maxSeqLength: number;
  /** WordpieceTokenizer's max_input_chars_per_word (Google HEAD 200; HF's default is 100). */
  readonly maxInputCharsPerWord: number;
}

/** The special tokens, in the order Hugging Face lists them. [MASK] is optional. */
const SPECIAL = {
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  mask_token: '[MASK]',
} as const;

type SpecialKey = keyof typeof SPECIAL;
interface Special {
  readonly key: SpecialKey;
  readonly token: string;
  readonly id: number;
}

/** The special tokens `vocab` has, by id; [PAD], [UNK], [CLS] and [SEP] are required. */
export function specialTokens(vocab: Vocab): Special[] {
  const out: Special[] = [];
  for (const [key, token] of Object.entries(SPECIAL) as [SpecialKey, string][]) {
    const id = vocab.tokenToId.get(token);
    if (id !== undefined) out.push({ key, token, id });
    else if (key !== 'mask_token')
      throw new ConfigError(`${vocab.source}: no ${token} token, which the tokenizer files need`);
  }
  return out.sort((a, b) => a.id - b.id);
}

function idOf(specials: readonly Special[], key: SpecialKey): number {
  const s = specials.find((x) => x.key === key);
  if (s === undefined) throw new ConfigError(`internal: no ${SPECIAL[key]}`);
  return s.id;
}

function addedToken(id: number, content: string): Record<string, unknown> {
  return {
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  };
}

function postProcessor(cls: number, sep: number): Record<string, unknown> {
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const seq = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    type: 'TemplateProcessing',
    single: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0)],
    pair: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0), seq('B', 1), special('[SEP]', 1)],
    special_tokens: {
      '[CLS]': { id: '[CLS]', ids: [cls], tokens: ['[CLS]'] },
      '[SEP]': { id: '[SEP]', ids: [sep], tokens: ['[SEP]'] },
    },
  };
}

/** Token -> id in id order (a token on two lines keeps the later id, as load_vocab). */
function vocabObject(vocab: Vocab): Record<string, number> {
  const entries = [...vocab.tokenToId].sort((a, b) => a[1] - b[1]);
  return Object.fromEntries(entries);
}

/** tokenizer.json. */
export function tokenizerJson(vocab: Vocab, o: TokenizerExportOptions): string {
  const specials = specialTokens(vocab);
  const json = {
    version: '1.0',
    truncation: {
      direction: 'Right',
      max_length: o.maxSeqLength,
      strategy: 'LongestFirst',
      stride: 0,
    },
    padding: {
      strategy: 'BatchLongest',
      direction: 'Right',
      pad_to_multiple_of: null,
      pad_id: idOf(specials, 'pad_token'),
      pad_type_id: 0,
      pad_token: SPECIAL.pad_token,
    },
    added_tokens: specials.map((t) => addedToken(t.id, t.token)),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      // null: strip accents exactly when lower-casing, as BasicTokenizer does.
      strip_accents: null,
      lowercase: o.doLowerCase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: postProcessor(idOf(specials, 'cls_token'), idOf(specials, 'sep_token')),
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: SPECIAL.unk_token,
      continuing_subword_prefix: '##',
      max_input_chars_per_word: o.maxInputCharsPerWord,
      vocab: vocabObject(vocab),
    },
  };
  return JSON.stringify(json, null, 2) + '\n';
}

/** tokenizer_config.json (BertTokenizer's options; model_max_length = max_seq_length). */
export function tokenizerConfigJson(vocab: Vocab, o: TokenizerExportOptions): string {
  const specials = specialTokens(vocab);
  const decoder = specials.map((t) => {
    const { id: _id, ...rest } = addedToken(t.id, t.token);
    return [String(t.id), rest];
  });
  const json = {
    added_tokens_decoder: Object.fromEntries(decoder),
    clean_up_tokenization_spaces: true,
    do_basic_tokenize: true,
    do_lower_case: o.doLowerCase,
    model_max_length: o.maxSeqLength,
    never_split: null,
    strip_accents: null,
    tokenize_chinese_chars: true,
    tokenizer_class: 'BertTokenizer',
    ...specialTokensMap(specials),
  };
  return JSON.stringify(json, null, 2) + '\n';
}

function specialTokensMap(specials: readonly Special[]): Record<string, string> {
  return Object.fromEntries(specials.map((t) => [t.key, t.token]));
}

/** special_tokens_map.json. */
export function specialTokensMapJson(vocab: Vocab): string {
  return JSON.stringify(specialTokensMap(specialTokens(vocab)), null, 2) + '\n';
}
