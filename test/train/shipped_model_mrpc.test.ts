// The shipped models/uncased_L-2_H-128_A-2_brown does what it is shipped for: fine-tuned on the
// whole of MRPC with the seed's flags at a small-model learning rate (README: lr 1e-4, 3 epochs of
// batch 32, max_seq_length 128, seed 1), it reaches a dev accuracy above the majority class
// (0.6838) and above random init at the same flags (0.6814, docs/run_pretraining.md): measured
// 0.7181. About 15–30 s on 2 cores: the one full-size fine-tune of the suite (it is given 10
// minutes: on a shared, loaded machine the same run has taken over 4; the assertion is the
// accuracy). It runs as the README's command, in a child process: training is synchronous, and in
// the test's own process a run longer than 60 s starves vitest's worker RPC ("Timeout calling
// onTaskUpdate", an unhandled error that fails the suite).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from '../shared.js';

const MODEL = join(REPO, 'models/uncased_L-2_H-128_A-2_brown');

describe('the shipped Brown BERT-Tiny on MRPC', () => {
  it('fine-tunes (lr 1e-4, seed 1, 343 steps) to dev accuracy ≥ 0.70 from all 39 encoder weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-brown-mrpc-'));
    const flags = {
      task_name: 'MRPC',
      data_dir: join(REPO, 'data/glue/MRPC'),
      vocab_file: join(MODEL, 'vocab.txt'),
      bert_config_file: join(MODEL, 'bert_config.json'),
      init_checkpoint: join(MODEL, 'bert_model.ckpt'),
      output_dir: dir,
      do_lower_case: 'true',
      max_seq_length: '128',
      do_train: 'true',
      do_eval: 'true',
      train_batch_size: '32',
      eval_batch_size: '8',
      learning_rate: '1e-4',
      num_train_epochs: '3',
      warmup_proportion: '0.1',
      save_checkpoints_steps: '1000',
      seed: '1',
      num_threads: '2',
    };
    const args = Object.entries(flags).map(([k, v]) => `--${k}=${v}`);
    const cli = join(REPO, 'dist/src/cli/run.js');
    const { stderr } = await promisify(execFile)(
      process.execPath,
      [cli, 'run_classifier', ...args],
      {
        maxBuffer: 64 << 20,
      },
    );
    expect(stderr.split('\n').filter((l) => l.endsWith('*INIT_FROM_CKPT*'))).toHaveLength(39);
    const results = readFileSync(join(dir, 'eval_results.txt'), 'utf8');
    expect(results).toContain('global_step = 343\n');
    const accuracy = Number(/eval_accuracy = (\S+)/.exec(results)![1]);
    expect(accuracy).toBeGreaterThanOrEqual(0.7);
  }, 600_000);
});
