// The shipped models/uncased_L-2_H-128_A-2_brown does what it is shipped for: fine-tuned on the
// whole of MRPC with the seed's flags at a small-model learning rate (README: lr 1e-4, 3 epochs of
// batch 32, max_seq_length 128, seed 1), it reaches a dev accuracy above the majority class
// (0.6838) and above random init at the same flags (0.6814, docs/run_pretraining.md): measured
// 0.7181. About 30 s on 2 cores: the one full-size fine-tune of the suite (it is given 10 minutes:
// on a shared, loaded machine the same run has taken over 4; the assertion is the accuracy).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClassifier } from '../../src/train/runners/run_classifier.js';
import { collectingLogger } from '../../src/util/log.js';
import { REPO } from '../shared.js';

const MODEL = join(REPO, 'models/uncased_L-2_H-128_A-2_brown');

describe('the shipped Brown BERT-Tiny on MRPC', () => {
  it('fine-tunes (lr 1e-4, seed 1, 343 steps) to dev accuracy ≥ 0.70 from all 39 encoder weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-brown-mrpc-'));
    const log = collectingLogger();
    await runClassifier({
      taskName: 'MRPC',
      dataDir: join(REPO, 'data/glue/MRPC'),
      vocabFile: join(MODEL, 'vocab.txt'),
      bertConfigFile: join(MODEL, 'bert_config.json'),
      initCheckpoint: join(MODEL, 'bert_model.ckpt'),
      outputDir: dir,
      doLowerCase: true,
      maxSeqLength: 128,
      doTrain: true,
      doEval: true,
      doPredict: false,
      trainBatchSize: 32,
      evalBatchSize: 8,
      predictBatchSize: 8,
      learningRate: 1e-4,
      numTrainEpochs: 3,
      warmupProportion: 0.1,
      saveCheckpointsSteps: 1000,
      seed: 1,
      numThreads: 2,
      padToMaxSeqLength: false,
      logger: log,
      tty: null,
    });
    expect(log.lines.filter((l) => l.endsWith('*INIT_FROM_CKPT*'))).toHaveLength(39);
    const results = readFileSync(join(dir, 'eval_results.txt'), 'utf8');
    expect(results).toContain('global_step = 343\n');
    const accuracy = Number(/eval_accuracy = (\S+)/.exec(results)![1]);
    expect(accuracy).toBeGreaterThanOrEqual(0.7);
  }, 600_000);
});
