// Writes what refgen/finetune/mrpc_torch.py reads, so a PyTorch fine-tune can start from exactly
// the weights and features bert-ts uses (numpy has no TF checkpoint or TFRecord reader):
//   weights.bin + weights.json  every float tensor of --init_checkpoint (Google names, float32,
//                               TF layouts) and its offset/shape
//   train.json, eval.json       [input_ids, input_mask, segment_ids, label_ids] per record of
//                               Google's run_classifier MRPC TFRecords (../shared fixtures)
// Usage: npm run build && node refgen/finetune/dump_inputs.mjs CHECKPOINT OUT_DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { openCheckpoint } = await import(join(ROOT, 'dist/src/formats/checkpoint/source.js'));
const { readTFRecords } = await import(join(ROOT, 'dist/src/formats/tfrecord.js'));
const { decodeExample } = await import(join(ROOT, 'dist/src/formats/example.js'));
const RECORDS = join(ROOT, '../shared/data/fixtures/tfrecord/run_classifier_mrpc_seq128');

const [checkpoint, outDir] = process.argv.slice(2);
if (!checkpoint || !outDir) {
  console.error('usage: node refgen/finetune/dump_inputs.mjs CHECKPOINT OUT_DIR');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const src = openCheckpoint(checkpoint);
const index = {};
const parts = [];
let offset = 0;
for (const name of src.names()) {
  const { dtype, shape } = src.info(name);
  if (dtype !== 'float32') continue; // global_step
  const values = src.readFloat32(name);
  index[name] = { shape, offset };
  offset += values.length;
  parts.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
}
src.close();
writeFileSync(join(outDir, 'weights.bin'), Buffer.concat(parts));
writeFileSync(join(outDir, 'weights.json'), JSON.stringify(index));

for (const split of ['train', 'eval']) {
  const rows = [];
  for (const record of readTFRecords(join(RECORDS, `${split}.tf_record`))) {
    const ex = decodeExample(record);
    rows.push(['input_ids', 'input_mask', 'segment_ids', 'label_ids'].map((k) => ex.get(k).values));
  }
  writeFileSync(join(outDir, `${split}.json`), JSON.stringify(rows));
}
console.error(`wrote ${Object.keys(index).length} tensors and the MRPC features to ${outDir}`);
