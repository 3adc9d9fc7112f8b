// Where the real data lives: ../shared/data beside the repository (CI has it), or BERT_SHARED_DATA.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = process.env.BERT_SHARED_DATA ?? resolve(REPO, '..', 'shared', 'data');
if (!existsSync(join(SHARED, 'PROVENANCE.md')))
  throw new Error(`test data not found at ${SHARED}: put the shared/ folder beside the repository`);
