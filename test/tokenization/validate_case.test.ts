// validate_case_matches_checkpoint: which paths are checked (Python's re.match results printed by
// python3 3.11 are in the comments) and the exact ValueError text, as a ConfigError.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/util/errors.js';
import { validateCaseMatchesCheckpoint } from '../../src/tokenization/validate_case.js';

const UNCASED = 'gs://bucket/uncased_L-12_H-768_A-12/bert_model.ckpt';

describe('validateCaseMatchesCheckpoint', () => {
  it('no checkpoint, or a path not ending in <dir>/bert_model.ckpt: nothing checked', () => {
    for (const p of [null, '', 'model.ckpt', 'uncased_L-12_H-768_A-12/model.ckpt-100'])
      expect(() => validateCaseMatchesCheckpoint(false, p)).not.toThrow();
    // Python's "." stops at "\n" only: re.match gives None here.
    expect(() =>
      validateCaseMatchesCheckpoint(false, 'a\n/uncased_L-12_H-768_A-12/bert_model.ckpt'),
    ).not.toThrow();
  });

  it('uncased model with --do_lower_case=False: the original message', () => {
    expect(() => validateCaseMatchesCheckpoint(true, UNCASED)).not.toThrow();
    expect(() => validateCaseMatchesCheckpoint(false, UNCASED)).toThrow(ConfigError);
    expect(() => validateCaseMatchesCheckpoint(false, UNCASED)).toThrow(
      'You passed in `--do_lower_case=False` with `--init_checkpoint=' +
        UNCASED +
        '`. However, `uncased_L-12_H-768_A-12` seems to be a lowercased model, so you should ' +
        'pass in `--do_lower_case=True` so that the fine-tuning matches how the model was ' +
        'pre-training. If this error is wrong, please just comment out this check.',
    );
  });

  it('cased model with --do_lower_case=True', () => {
    const p = '/m/multi_cased_L-12_H-768_A-12/bert_model.ckpt';
    expect(() => validateCaseMatchesCheckpoint(false, p)).not.toThrow();
    expect(() => validateCaseMatchesCheckpoint(true, p)).toThrow(
      '`multi_cased_L-12_H-768_A-12` seems to be a cased model, so you should pass in ' +
        '`--do_lower_case=False`',
    );
  });

  it('the Chinese model counts as lower-cased (Hugging Face says otherwise)', () => {
    // re.match → 'chinese_L-12_H-768_A-12' (the unescaped "." matches "X"; a suffix is allowed)
    const p = '/a/b c/chinese_L-12_H-768_A-12/bert_modelXckpt-5';
    expect(() => validateCaseMatchesCheckpoint(false, p)).toThrow('seems to be a lowercased model');
  });

  it('the name is the last path segment, even after "." or "\\r" (re.match group 1)', () => {
    for (const p of [
      'x.uncased_L-12_H-768_A-12/bert_model.ckpt',
      'a\r/b/uncased_L-12_H-768_A-12/bert_model.ckpt',
    ])
      expect(() => validateCaseMatchesCheckpoint(false, p)).toThrow('`uncased_L-12_H-768_A-12`');
  });

  it('all 24 small English models are checked as uncased; WWM models are not checked', () => {
    let checked = 0;
    for (const L of [2, 4, 6, 8, 10, 12])
      for (const H of [128, 256, 512, 768]) {
        const p = `models/uncased_L-${L}_H-${H}_A-${H / 64}/bert_model.ckpt`;
        expect(() => validateCaseMatchesCheckpoint(true, p)).not.toThrow();
        expect(() => validateCaseMatchesCheckpoint(false, p)).toThrow(ConfigError);
        checked++;
      }
    expect(checked).toBe(24);
    const wwm = 'wwm_uncased_L-24_H-1024_A-16/bert_model.ckpt';
    expect(() => validateCaseMatchesCheckpoint(false, wwm)).not.toThrow();
    expect(() =>
      validateCaseMatchesCheckpoint(false, 'uncased_L-2_H-128_A-4/bert_model.ckpt'),
    ).not.toThrow(); // not one of the 24 (A = H/64)
  });
});
