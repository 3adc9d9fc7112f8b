// The files that ship inside the package: the pre-trained models in models/ and the data in data/
// (MRPC, the uncased vocabulary, BERT-Tiny's config). The host says where the package is: in Node
// the folder above this module holding package.json, so they work from the repository and from
// node_modules/bert-ts alike; in a browser a folder of the in-memory file system the page fills:
//   import { pretrainedModelPath, dataDir } from 'bert-ts';
//   const enc = await Encoder.load(pretrainedModelPath('uncased_L-2_H-128_A-2_brown'));
import { existsSync, readdirSync, statSync } from '../host/fs.js';
import { host } from '../host/host.js';
import { join } from 'pathe';
import { UsageError } from '../util/errors.js';

/** The installed package's folder (where its package.json is). */
export const packageDir: string = host().packageDir();
/** The shipped model folders (models/<name>/). */
export const modelsDir: string = join(packageDir, 'models');
/** The shipped data: glue/MRPC/*.tsv, vocab/uncased/vocab.txt, configs/<model>/bert_config.json. */
export const dataDir: string = join(packageDir, 'data');

/** The model the package ships: BERT-Tiny pre-trained on the Brown Corpus (docs/run_pretraining.md). */
export const DEFAULT_PRETRAINED_MODEL = 'uncased_L-2_H-128_A-2_brown';

/** The names of the shipped model folders. */
export function pretrainedModels(): string[] {
  return readdirSync(modelsDir).filter((name) => statSync(join(modelsDir, name)).isDirectory());
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
