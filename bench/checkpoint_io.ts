// Throughput of the TF checkpoint writer and reader on a checkpoint shaped like a real one (the
// names and shapes of a staged Google index, synthetic values): writeTFCheckpoint, then every
// tensor read back by offset with its crc32c checked (readFloat32), and crc32c alone.
//
//   npm run build && node dist/bench/checkpoint_io.js [tiny|base]
// tiny = BERT-Tiny MRPC fine-tune (124 tensors, 52.6 MB), base = Chinese BERT-Base (206, 411.5 MB).
// Prints MB/s per stage. Same-machine comparisons only (STYLE.md §9).
import '../src/host/node.js'; // first: the core runs on the Node host
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TFCheckpointReader } from '../src/formats/checkpoint/bundle_reader.js';
import { writeTFCheckpoint } from '../src/formats/checkpoint/bundle_writer.js';
import { type LazyTensor } from '../src/formats/checkpoint/source.js';
import { numElements } from '../src/formats/checkpoint/tensor.js';
import { crc32c } from '../src/formats/crc32c.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = here.includes('dist') ? resolve(here, '..', '..') : resolve(here, '..');
const SHARED = process.env.BERT_SHARED_DATA ?? join(repo, '..', 'shared', 'data');
const CKPT = join(SHARED, 'fixtures', 'tf_checkpoint');
const SHAPES: Record<string, string> = {
  tiny: join(CKPT, 'bert_tiny_mrpc_finetuned', 'model.ckpt-343'),
  base: join(CKPT, 'chinese_L-12_H-768_A-12', 'bert_model.ckpt'),
};

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Tensors with the names and shapes of `prefix`, values made when the writer asks. */
function lazyLike(prefix: string): { tensors: LazyTensor[]; bytes: number } {
  const r = new TFCheckpointReader(prefix);
  let bytes = 0;
  const tensors = r.names().map((name): LazyTensor => {
    const { shape } = r.info(name);
    const n = numElements(shape);
    bytes += 4 * n;
    const load = () => ({
      name,
      dtype: 'float32' as const,
      shape,
      data: new Float32Array(n).fill(0.25),
    });
    return { name, dtype: 'float32', shape, load };
  });
  return { tensors, bytes };
}

function main(): void {
  const which = process.argv[2] ?? 'tiny';
  const src = SHAPES[which];
  if (src === undefined) throw new Error(`usage: checkpoint_io.js [tiny|base], not ${which}`);
  const { tensors, bytes } = lazyLike(src);
  const mb = bytes / 1e6;
  const dir = mkdtempSync(join(tmpdir(), 'bench-ckpt-'));
  const prefix = join(dir, 'model.ckpt-1');
  try {
    let t = process.hrtime.bigint();
    writeTFCheckpoint(prefix, tensors);
    const write = seconds(t);
    const r = new TFCheckpointReader(prefix);
    t = process.hrtime.bigint();
    for (const name of r.names()) r.readFloat32(name);
    const read = seconds(t);
    r.close();
    const block = new Uint8Array(64 << 20).fill(7);
    t = process.hrtime.bigint();
    crc32c(block);
    const crc = seconds(t);
    console.log(`machine: ${cpus()[0]?.model ?? '?'} x${cpus().length}, node ${process.version}`);
    console.log(`checkpoint: ${which} (${tensors.length} tensors, ${mb.toFixed(1)} MB)`);
    console.log(
      `write (bytes + crc32c + index): ${(mb / write).toFixed(0)} MB/s (${(write * 1000).toFixed(0)} ms)`,
    );
    console.log(
      `read (by offset + crc32c check): ${(mb / read).toFixed(0)} MB/s (${(read * 1000).toFixed(0)} ms)`,
    );
    console.log(`crc32c alone (crc-32): ${(67.108864 / crc).toFixed(0)} MB/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
