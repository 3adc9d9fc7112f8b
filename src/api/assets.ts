// The files that ship inside the package: the pre-trained models in models/ and the data in data/
// (MRPC, the uncased vocabulary, BERT-Tiny's config). Found relative to this module, so they work
// from the repository and from node_modules/bert-ts alike:
//   import { pretrainedModelPath, dataDir } from 'bert-ts';
//   const enc = await Encoder.load(pretrainedModelPath('uncased_L-2_H-128_A-2_brown'));
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../util/errors.js';
import { packageRoot } from '../util/package_root.js';

/** The installed package's folder (where its package.json is). */
export const packageDir: string = packageRoot(import.meta.url);
/** The shipped model folders (models/<name>/). */
export const modelsDir: string = join(packageDir, 'models');
/** The shipped data: glue/MRPC/*.tsv, vocab/uncased/vocab.txt, configs/<model>/bert_config.json. */
export const dataDir: string = join(packageDir, 'data');

/** The model the package ships: BERT-Tiny pre-trained on the Brown Corpus (docs/run_pretraining.md). */
export const DEFAULT_PRETRAINED_MODEL = 'uncased_L-2_H-128_A-2_brown';

/** The names of the shipped model folders. */
export function pretrainedModels(): string[] {
  return readdirSync(modelsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** The folder of the shipped model `name`; an unknown name is a UsageError listing the shipped ones. */
export function pretrainedModelPath(name: string = DEFAULT_PRETRAINED_MODEL): string {
  const dir = join(modelsDir, name);
  if (!/^[\w.-]+$/.test(name) || !existsSync(dir))
    throw new UsageError(
      `no pre-trained model '${name}' in ${modelsDir}`,
      `shipped: ${pretrainedModels().join(', ')}`,
    );
  return dir;
}
