import { describe, expect, it } from 'vitest';
import {
  bool,
  didYouMean,
  float,
  formatHelp,
  int,
  parseFlags,
  requireFlags,
  str,
} from '../../src/cli/flags.js';
import { UsageError } from '../../src/util/errors.js';

const TABLE = {
  data_dir: str({ help: 'data', required: true }),
  max_seq_length: int(128, 'length'),
  learning_rate: float(5e-5, 'lr'),
  do_train: bool(false, 'train'),
  do_lower_case: bool(true, 'lower'),
};

describe('absl-style flag parsing', () => {
  it('keeps the defaults', () => {
    const { flags } = parseFlags(TABLE, []);
    expect(flags).toEqual({
      data_dir: null,
      max_seq_length: 128,
      learning_rate: 5e-5,
      do_train: false,
      do_lower_case: true,
    });
  });
  it('accepts --x=v, --x v, --flag, --noflag and bool spellings', () => {
    const { flags } = parseFlags(TABLE, [
      '--data_dir=D',
      '--max_seq_length',
      '64',
      '--learning_rate=2e-5',
      '--do_train',
      '--nodo_lower_case',
    ]);
    expect(flags).toEqual({
      data_dir: 'D',
      max_seq_length: 64,
      learning_rate: 2e-5,
      do_train: true,
      do_lower_case: false,
    });
    for (const [v, want] of [
      ['true', true],
      ['True', true],
      ['1', true],
      ['false', false],
      ['False', false],
      ['0', false],
    ] as const) {
      expect(parseFlags(TABLE, [`--do_train=${v}`]).flags.do_train).toBe(want);
    }
    expect(parseFlags(TABLE, ['--do_train', 'False']).flags.do_train).toBe(false);
  });
  it('names unknown flags and bad values', () => {
    expect(() => parseFlags(TABLE, ['--max_seq_lenght=3'])).toThrow(
      new UsageError('unknown flag --max_seq_lenght', 'did you mean --max_seq_length?'),
    );
    expect(() => parseFlags(TABLE, ['--max_seq_length=1.5'])).toThrow(
      /--max_seq_length: '1.5' is not an integer/,
    );
    expect(() => parseFlags(TABLE, ['--do_train=maybe'])).toThrow(/not a boolean/);
    expect(() => parseFlags(TABLE, ['--max_seq_length'])).toThrow(/needs a value/);
  });
  it('suggests the closest flag for a mistyped one', () => {
    const hint = (arg: string) => {
      try {
        parseFlags(TABLE, [arg]);
      } catch (e) {
        return (e as UsageError).hint;
      }
      throw new Error(`${arg} was accepted`);
    };
    expect(hint('--max_seq_lenght=3')).toBe('did you mean --max_seq_length?');
    expect(hint('--Max-Seq-Length=3')).toBe('did you mean --max_seq_length?');
    expect(hint('--seq_length=3')).toBe('did you mean --max_seq_length?'); // 4 edits of 14
    expect(hint('--eval_batch_size=3')).toBe(undefined); // 9 edits from max_seq_length
    expect(hint('--nope')).toBe(undefined);
    expect(didYouMean('learnig_rate', ['learning_rate', 'warmup_proportion'])).toBe(
      'did you mean --learning_rate?',
    );
  });
  it('checks required flags', () => {
    expect(() => requireFlags(TABLE, parseFlags(TABLE, []).flags)).toThrow(
      /--data_dir must be specified/,
    );
  });
  it('help lists every flag with its default', () => {
    const h = formatHelp('x', 'does x', TABLE);
    expect(h).toContain('--max_seq_length: length\n    (default: 128)');
    expect(h).toContain('--data_dir: data (required)\n    (default: None)');
    expect(h).toContain('--do_lower_case: lower\n    (default: true)');
  });
});
