// Reader of the model fixtures written by refgen/model/make_fixture.py: b"BTFX", uint32 version,
// uint32 header length, a JSON header (config, batch, tensor table), then little-endian tensors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BertBatch } from '../../src/model/bert_model.js';
import type { BertConfigFields } from '../../src/model/layout.js';
import type { FloatArray } from '../../src/engine/kernels.js';
import type { ParameterStore } from '../../src/model/parameters.js';
import { REPO } from '../shared.js';

/** The PyTorch fixture the model, head and training tests share. */
export const PYTORCH_FIXTURE = join(REPO, 'test', 'fixtures', 'model', 'bert_pytorch.bin');

interface TensorInfo {
  name: string;
  dtype: 'f32' | 'f64';
  shape: number[];
  offset: number;
}

export interface FixtureBatch {
  batch_size: number;
  seq_length: number;
  input_ids: number[];
  input_mask: number[];
  segment_ids: number[];
  labels: number[];
  train_seed: number;
}

/** The extract_features.py inputs of the fixture (make_fixture.py's EXTRACT_* constants). */
export interface FixtureExtractFeatures {
  lines: string[];
  tokens: string[][];
  vocab: string[];
  max_seq_length: number;
}

/** run_pretraining's labels of the fixture batch (make_fixture.py's PRETRAIN). */
export interface FixturePretraining {
  max_predictions_per_seq: number;
  masked_lm_positions: number[];
  masked_lm_ids: number[];
  masked_lm_weights: number[];
  next_sentence_labels: number[];
}

/** run_squad's labels of the fixture batch (make_fixture.py's SQUAD). */
export interface FixtureSquad {
  start_positions: number[];
  end_positions: number[];
}

export interface ModelFixture {
  config: BertConfigFields;
  numLabels: number;
  batch: FixtureBatch;
  names: string[];
  extractFeatures: FixtureExtractFeatures | undefined;
  pretraining: FixturePretraining | undefined;
  squad: FixtureSquad | undefined;
  /** The shape of tensor `name`. */
  shape(name: string): number[];
  /** The tensor `name` as float64 values; throws when absent. */
  get(name: string): Float64Array;
  /** The tensor `name` in its stored precision, or undefined. */
  find(name: string): Float32Array | Float64Array | undefined;
}

export function readModelFixture(path: string): ModelFixture {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 0, 4) !== 'BTFX') throw new Error(`${path}: not a BTFX fixture`);
  const version = buf.readUInt32LE(4);
  if (version !== 1) throw new Error(`${path}: fixture version ${version}, expected 1`);
  const headerLen = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + headerLen)) as {
    config: BertConfigFields;
    num_labels: number;
    batch: FixtureBatch;
    tensors: TensorInfo[];
    extract_features?: FixtureExtractFeatures;
    pretraining?: FixturePretraining;
    squad?: FixtureSquad;
  };
  const dataStart = 12 + headerLen;
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const find = (name: string): Float32Array | Float64Array | undefined => {
    const t = byName.get(name);
    if (t === undefined) return undefined;
    const n = t.shape.reduce((a, b) => a * b, 1);
    const start = dataStart + t.offset;
    // Copy out: the Buffer's byte offset need not be aligned for a typed-array view.
    const bytes = buf.subarray(start, start + n * (t.dtype === 'f32' ? 4 : 8));
    const copy = new Uint8Array(bytes).buffer;
    return t.dtype === 'f32' ? new Float32Array(copy) : new Float64Array(copy);
  };
  return {
    config: header.config,
    numLabels: header.num_labels,
    batch: header.batch,
    names: header.tensors.map((t) => t.name),
    extractFeatures: header.extract_features,
    pretraining: header.pretraining,
    squad: header.squad,
    shape: (name) => [...(byName.get(name)?.shape ?? [])],
    find,
    get: (name) => {
      const t = find(name);
      if (t === undefined) throw new Error(`${path}: no tensor ${name}`);
      return Float64Array.from(t);
    },
  };
}

/** The fixture's input batch as BertModel takes it. */
export function fixtureBatch(fb: FixtureBatch): BertBatch {
  return {
    batchSize: fb.batch_size,
    seqLength: fb.seq_length,
    inputIds: Int32Array.from(fb.input_ids),
    inputMask: Int32Array.from(fb.input_mask),
    segmentIds: Int32Array.from(fb.segment_ids),
  };
}

/**
 * Copies the fixture's float64 (or float32) tensors into the store at the store's own precision
 * (the f64 reference kernels need every bit) and returns the names loaded, in layout order.
 * Checkpoints go through src/train/checkpoint_io.ts instead; this is test data made for the model.
 */
export function loadFixtureParams<A extends FloatArray>(
  store: ParameterStore<A>,
  find: (name: string) => Float32Array | Float64Array | undefined,
): string[] {
  const loaded: string[] = [];
  for (const p of store.namedParameters()) {
    const src = find(p.name);
    if (src === undefined) continue;
    if (src.length !== p.view.length) throw new Error(`fixture ${p.name}: ${src.length} values`);
    p.view.set(src);
    loaded.push(p.name);
  }
  return loaded;
}
