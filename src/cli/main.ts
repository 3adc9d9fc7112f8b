// The CLI's dispatch and its one way of reporting an error, shared by the `bert` entry point
// (run.ts, which owns the process) and the tests that run scripts in-process: a UsageError is
// the message and a hint to --help with exit 2; any other BertError its one-line message (and
// hint) with exit 1; anything else an internal error with its stack (STYLE.md §7).
import { parseFlags, requireFlags, formatHelp } from './flags.js';
import { SCRIPTS } from './scripts.js';
import { BertError, UsageError } from '../util/errors.js';

async function listScripts(): Promise<string> {
  const lines = ['usage: bert <script> [--flag=value ...]', '', 'scripts:'];
  for (const [name, load] of Object.entries(SCRIPTS))
    lines.push(`  ${name.padEnd(26)} ${(await load()).summary}`);
  lines.push('', 'bert <script> --help lists the flags of one script with their defaults.');
  return lines.join('\n') + '\n';
}

/** Runs `bert <argv>`; resolves to the exit code of a run that did not throw (0, or 2 for no script). */
export async function runCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out.write(await listScripts());
    return name === undefined ? 2 : 0;
  }
  const load = SCRIPTS[name.replace(/\.py$/, '')];
  if (load === undefined)
    throw new UsageError(`unknown script '${name}'; known: ${Object.keys(SCRIPTS).join(', ')}`);
  const script = await load();
  const { flags, positional, help } = parseFlags(script.flags, rest);
  if (help) {
    out.write(formatHelp(script.name, script.summary, script.flags));
    return 0;
  }
  requireFlags(script.flags, flags);
  await script.main(flags, positional);
  return 0;
}

/** What `bert` prints on stderr for an error `e`, and its exit code. */
export function errorReport(e: unknown): { text: string; exitCode: number } {
  if (e instanceof UsageError) {
    const hint = e.hint ? `hint: ${e.hint}\n` : '';
    return {
      text: `bert: ${e.message}\n${hint}(bert <script> --help lists the flags)\n`,
      exitCode: 2,
    };
  }
  if (e instanceof BertError)
    return { text: `bert: error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`, exitCode: 1 };
  const err = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return { text: `bert: internal error: ${err}\n`, exitCode: 1 };
}
