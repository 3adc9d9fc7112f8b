// `bert export_model` as a user runs it (the built CLI; test/cli/bin.test.ts covers npx itself): --help, a real export of the shipped Brown model
// (a bare encoder) whose folder onnxruntime opens, and the one-line errors with exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { REPO } from '../shared.js';

const BROWN = join(REPO, 'models/uncased_L-2_H-128_A-2_brown');

function bert(...args: string[]) {
  const cli = join(REPO, 'dist/src/cli/run.js');
  return spawnSync(process.execPath, [cli, 'export_model', ...args], { encoding: 'utf8' });
}

describe('bert export_model', () => {
  it('--help names both flags, exit 0', () => {
    const r = bert('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--model_dir');
    expect(r.stdout).toContain('--output_dir');
  });

  it('exports the shipped model as a BertModel folder onnxruntime opens', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bert-export-cli-')), 'hf');
    const r = bert(`--model_dir=${BROWN}`, `--output_dir=${out}`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('exported BertModel to');
    expect(readdirSync(out)).toContain('model.safetensors');
    const session = await ort.InferenceSession.create(join(out, 'onnx/model.onnx'));
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(session.outputNames).toEqual(['last_hidden_state', 'pooler_output']);
    await session.release();
  });

  it('a folder that is not a model: one line naming what it lacks, exit 2, nothing written', () => {
    const empty = mkdtempSync(join(tmpdir(), 'bert-export-notmodel-'));
    const out = join(empty, 'hf');
    const r = bert(`--model_dir=${empty}`, `--output_dir=${out}`);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/not a model folder: no bert_config.json/);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing flag is a usage error', () => {
    const r = bert(`--model_dir=${BROWN}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--output_dir');
  });
});
