// Exports a model folder for the tests from explicit inputs (the Brown model's config and vocab,
// the weights at `weightsDir`).
import { join } from 'node:path';
import { writeHfFolder } from '../../src/export/hf_folder.js';
import { openCheckpoint } from '../../src/formats/checkpoint/source.js';
import { BertConfig } from '../../src/model/config.js';
import { silentLogger } from '../../src/util/log.js';
import { BROWN, MAX_SEQ } from './fixture.js';

export async function exportFolder(
  weightsDir: string,
  outputDir: string,
  labels: string[] | null,
): Promise<void> {
  const weights = openCheckpoint(
    labels === null ? join(weightsDir, 'bert_model.ckpt') : weightsDir,
  );
  try {
    writeHfFolder(
      {
        config: BertConfig.fromJsonFile(join(BROWN, 'bert_config.json')),
        vocabFile: join(BROWN, 'vocab.txt'),
        weights,
        labels,
        isRegression: false,
        doLowerCase: true,
        maxSeqLength: MAX_SEQ,
        taskName: labels === null ? null : 'mrpc',
      },
      outputDir,
      silentLogger,
    );
  } finally {
    weights.close();
  }
}
