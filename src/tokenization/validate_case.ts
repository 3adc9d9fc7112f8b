// validate_case_matches_checkpoint of tokenization.py: a guard against fine-tuning an uncased
// checkpoint with --do_lower_case=false (or a cased one with true), judged by the name of the
// directory that holds bert_model.ckpt. Paths that do not look like a released model are not
// checked. Called by run_classifier and run_squad.
import { ConfigError } from '../util/errors.js';

const LOWER_CASED_MODELS = new Set([
  'uncased_L-24_H-1024_A-16',
  'uncased_L-12_H-768_A-12',
  'multilingual_L-12_H-768_A-12',
  'chinese_L-12_H-768_A-12',
  ...smallUncasedModels(),
]);

/** Google's cased releases, by folder name. */
export const CASED_MODELS: ReadonlySet<string> = new Set([
  'cased_L-12_H-768_A-12',
  'cased_L-24_H-1024_A-16',
  'multi_cased_L-12_H-768_A-12',
]);

/**
 * The 24 small English models of 2020 ("Well-Read Students Learn Better"), all uncased:
 * uncased_L-{2,4,6,8,10,12}_H-{128,256,512,768}_A-{H/64}. Google's lists predate them (so Python
 * never checks them); bert-ts checks them as the lower-cased models they are.
 */
function smallUncasedModels(): string[] {
  const names: string[] = [];
  for (const L of [2, 4, 6, 8, 10, 12])
    for (const H of [128, 256, 512, 768]) names.push(`uncased_L-${L}_H-${H}_A-${H / 64}`);
  return names;
}

// Python: re.match("^.*?([A-Za-z0-9_-]+)/bert_model.ckpt", path). Python's "." matches anything
// but "\n" (JS's would also refuse "\r", U+2028 and U+2029), hence [^\n].
const CHECKPOINT_DIR_RE = /^[^\n]*?([A-Za-z0-9_-]+)\/bert_model[^\n]ckpt/;

/** Throws a ConfigError when the casing flag contradicts the checkpoint's model name. */
export function validateCaseMatchesCheckpoint(
  doLowerCase: boolean,
  initCheckpoint: string | null,
): void {
  if (!initCheckpoint) return;
  const modelName = CHECKPOINT_DIR_RE.exec(initCheckpoint)?.[1];
  if (modelName === undefined) return;
  let bad: { actual: string; caseName: string; opposite: string } | null = null;
  if (LOWER_CASED_MODELS.has(modelName) && !doLowerCase)
    bad = { actual: 'False', caseName: 'lowercased', opposite: 'True' };
  if (CASED_MODELS.has(modelName) && doLowerCase)
    bad = { actual: 'True', caseName: 'cased', opposite: 'False' };
  if (bad === null) return;
  throw new ConfigError(
    `You passed in \`--do_lower_case=${bad.actual}\` with \`--init_checkpoint=${initCheckpoint}\`. ` +
      `However, \`${modelName}\` seems to be a ${bad.caseName} model, so you ` +
      `should pass in \`--do_lower_case=${bad.opposite}\` so that the fine-tuning matches ` +
      `how the model was pre-training. If this error is wrong, please ` +
      `just comment out this check.`,
  );
}
