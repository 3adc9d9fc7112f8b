// `npm run squad`: a real SQuAD 1.1 fine-tune with what this machine has — only the dev set.
//   1. split dev-v1.1.json by article: 0–35 → train.json (each question keeps its first answer:
//      run_squad's training takes exactly one), 36–47 → eval.json (every answer, for scoring);
//   2. bert run_squad from the shipped models/uncased_L-2_H-128_A-2_brown, then from random init,
//      both with the same flags (FLAGS below), --do_train --do_predict; each writes
//      predictions.json and eval_results.json (the official v1.1 evaluation) in its output_dir;
//   3. prints EM / F1, wall time and peak memory (/usr/bin/time, when present) of both runs.
//   node scripts/squad.mjs [--squad_file=../shared/data/squad/v1.1/dev-v1.1.json]
//                          [--work_dir=/tmp/squad] [--num_threads=N] [--seed=1]
// The results do not depend on --num_threads (the kernels sum in a fixed order), only the time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const SQUAD = resolve(arg('squad_file', join(ROOT, '../shared/data/squad/v1.1/dev-v1.1.json')));
const WORK = resolve(arg('work_dir', '/tmp/squad'));
const THREADS = arg('num_threads', null);
const SEED = arg('seed', '1');
const MODEL = join(ROOT, 'models/uncased_L-2_H-128_A-2_brown');
const FLAGS = [
  '--max_seq_length=192',
  '--doc_stride=64',
  '--max_query_length=32',
  '--train_batch_size=32',
  '--learning_rate=3e-4',
  '--num_train_epochs=10',
  '--predict_batch_size=32',
  `--seed=${SEED}`,
  ...(THREADS === null ? [] : [`--num_threads=${THREADS}`]),
];

function split() {
  const dev = JSON.parse(readFileSync(SQUAD, 'utf8'));
  const firstAnswer = (a) => ({
    ...a,
    paragraphs: a.paragraphs.map((p) => ({
      ...p,
      qas: p.qas.map((q) => ({ ...q, answers: q.answers.slice(0, 1) })),
    })),
  });
  const train = { version: dev.version, data: dev.data.slice(0, 36).map(firstAnswer) };
  const evalSet = { version: dev.version, data: dev.data.slice(36) };
  writeFileSync(join(WORK, 'train.json'), JSON.stringify(train));
  writeFileSync(join(WORK, 'eval.json'), JSON.stringify(evalSet));
}

/** One run_squad; returns its wall time (s) and, with /usr/bin/time, its peak RSS (MiB). */
function runSquad(name, extra) {
  const out = join(WORK, name);
  rmSync(out, { recursive: true, force: true });
  const args = [
    join(ROOT, 'dist/src/cli/run.js'),
    'run_squad',
    `--vocab_file=${join(MODEL, 'vocab.txt')}`,
    `--bert_config_file=${join(MODEL, 'bert_config.json')}`,
    `--train_file=${join(WORK, 'train.json')}`,
    `--predict_file=${join(WORK, 'eval.json')}`,
    '--do_train=true',
    '--do_predict=true',
    `--output_dir=${out}`,
    ...FLAGS,
    ...extra,
  ];
  const timed = existsSync('/usr/bin/time');
  const stats = join(WORK, `${name}.time`);
  const [cmd, cmdArgs] = timed
    ? ['/usr/bin/time', ['-f', '%e %M', '-o', stats, process.execPath, ...args]]
    : [process.execPath, args];
  console.error(`+ bert ${args.slice(1).join(' ')}`);
  const t0 = performance.now();
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const seconds = (performance.now() - t0) / 1000;
  const peak = timed ? Number(readFileSync(stats, 'utf8').trim().split(/\s+/).pop()) / 1024 : null;
  const results = JSON.parse(readFileSync(join(out, 'eval_results.json'), 'utf8'));
  return { name, ...results, seconds, peakMiB: peak };
}

mkdirSync(WORK, { recursive: true });
split();
const rows = [
  runSquad('brown', [`--init_checkpoint=${join(MODEL, 'bert_model.ckpt')}`]),
  runSquad('random_init', []),
];
console.log(`flags: ${FLAGS.join(' ')}`);
for (const r of rows)
  console.log(
    `${r.name}: exact_match ${r.exact_match.toFixed(2)}, f1 ${r.f1.toFixed(2)}, ` +
      `${(r.seconds / 60).toFixed(1)} min, peak ${r.peakMiB === null ? '?' : r.peakMiB.toFixed(0)} MiB`,
  );
