// Throughput of FullTokenizer (uncased vocab, do_lower_case=true) on MRPC train: both sentences
// of all 3668 rows per pass, plus the two stages apart (BasicTokenizer alone; WordPiece over the
// basic words) and an accented/CJK mix that leaves the ASCII fast paths.
//
//   npm run build && node dist/bench/tokenizer.js [passes=20]
// Prints tokens/s, sentences/s and MB/s of UTF-8 input, median of the passes after a warm-up.
// Same-machine comparisons only (STYLE.md §9).
import '../src/host/node.js'; // first: the core runs on the Node host
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FullTokenizer } from '../src/tokenization/full.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = here.includes('dist') ? resolve(here, '..', '..') : resolve(here, '..');

function mrpcSentences(): string[] {
  const lines = readFileSync(join(repo, 'data/glue/MRPC/train.tsv'), 'utf8').split('\n');
  return lines
    .slice(1)
    .filter((l) => l !== '')
    .flatMap((l) => {
      const f = l.split('\t');
      return [f[3]!, f[4]!];
    });
}

/** Median seconds of `passes` runs of `fn` after two warm-up runs. */
function medianSeconds(passes: number, fn: () => void): number {
  fn();
  fn();
  const times: number[] = [];
  for (let i = 0; i < passes; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function report(name: string, texts: string[], tokens: number, s: number): void {
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  const rate = (x: number): string => Math.round(x / s).toLocaleString('en-US');
  console.log(
    `${name.padEnd(34)} ${(s * 1000).toFixed(1).padStart(7)} ms  ${rate(tokens).padStart(10)} tokens/s` +
      `  ${rate(texts.length).padStart(8)} sentences/s  ${(mb / s).toFixed(1).padStart(5)} MB/s`,
  );
}

function main(): void {
  const passes = Number(process.argv[2] ?? 20);
  const tokenizer = FullTokenizer.fromFile(join(repo, 'data/vocab/uncased/vocab.txt'), true);
  const sentences = mrpcSentences();
  const mixed = sentences.map((s, i) => (i % 2 ? `Ça été ${s} 北京大学 Ünïcödé` : s));
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? '?'}, 1 thread, ${passes} passes`);

  const count = (texts: string[]): number =>
    texts.reduce((n, t) => n + tokenizer.tokenize(t).length, 0);
  const fullTokens = count(sentences);
  report(
    'FullTokenizer, MRPC train',
    sentences,
    fullTokens,
    medianSeconds(passes, () => count(sentences)),
  );

  const words = sentences.map((t) => tokenizer.basicTokenizer.tokenize(t));
  const basicWords = words.reduce((n, w) => n + w.length, 0);
  const basic = (): void => sentences.forEach((t) => tokenizer.basicTokenizer.tokenize(t));
  report('  BasicTokenizer alone (words/s)', sentences, basicWords, medianSeconds(passes, basic));
  const wordpiece = (): void => {
    const out: string[] = [];
    for (const ws of words) for (const w of ws) tokenizer.wordpieceTokenizer.tokenizeWord(w, out);
  };
  report('  WordPiece alone', sentences, fullTokens, medianSeconds(passes, wordpiece));

  report(
    'FullTokenizer, MRPC + accents/CJK',
    mixed,
    count(mixed),
    medianSeconds(passes, () => count(mixed)),
  );
}

main();
