// `bert extract_features`: the flag table keeps extract_features.py's names, defaults and
// required flags, and main runs the whole extraction from parsed flags.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../src/cli/extract_features.js';
import { parseFlags, requireFlags } from '../../src/cli/flags.js';
import { SCRIPTS } from '../../src/cli/scripts.js';
import { UsageError } from '../../src/util/errors.js';

describe('bert extract_features flags', () => {
  it('defaults are the original’s: layers -1,-2,-3,-4, max_seq_length 128, batch_size 32, lower case', () => {
    const { flags } = parseFlags(script.flags, []);
    expect([flags.layers, flags.max_seq_length, flags.batch_size, flags.do_lower_case]).toEqual([
      '-1,-2,-3,-4',
      128,
      32,
      true,
    ]);
    expect(SCRIPTS.extract_features).toBeDefined();
  });

  it('input_file, output_file, vocab_file, bert_config_file and init_checkpoint are required', () => {
    const { flags } = parseFlags(script.flags, ['--output_file=o', '--vocab_file=v']);
    expect(() => requireFlags(script.flags, flags)).toThrow(
      new UsageError('flag --input_file must be specified'),
    );
    const all = parseFlags(script.flags, [
      '--input_file=i',
      '--output_file=o',
      '--vocab_file=v',
      '--bert_config_file=c',
    ]);
    expect(() => requireFlags(script.flags, all.flags)).toThrow(
      'flag --init_checkpoint must be specified',
    );
  });

  it('a bad --num_threads is a UsageError before anything is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'efcli-'));
    const { flags } = parseFlags(script.flags, [`--input_file=${dir}/x`, '--num_threads=0']);
    await expect(script.main(flags, [])).rejects.toThrow('--num_threads=0: must be at least 1');
    expect(() => readFileSync(join(dir, 'x'))).toThrow();
  });
});
