#!/usr/bin/env node
// `bert <script> --flag=value ...`: the one entry point. Maps UsageError to the message, a hint
// to --help and exit 2; any other error to its one-line message and exit 1 (STYLE.md §7).
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

async function run(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(await listScripts());
    if (name === undefined) process.exitCode = 2;
    return;
  }
  const load = SCRIPTS[name.replace(/\.py$/, '')];
  if (load === undefined)
    throw new UsageError(`unknown script '${name}'; known: ${Object.keys(SCRIPTS).join(', ')}`);
  const script = await load();
  const { flags, positional, help } = parseFlags(script.flags, rest);
  if (help) {
    process.stdout.write(formatHelp(script.name, script.summary, script.flags));
    return;
  }
  requireFlags(script.flags, flags);
  await script.main(flags, positional);
}

// `bert inspect_checkpoint ... | head` closes stdout early: stop quietly, as Python's tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

run(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(
      `bert: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}(bert <script> --help lists the flags)\n`,
    );
    process.exit(2);
  }
  if (e instanceof BertError) {
    process.stderr.write(`bert: error: ${e.message}\n${e.hint ? `hint: ${e.hint}\n` : ''}`);
    process.exit(1);
  }
  const err = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`bert: internal error: ${err}\n`);
  process.exit(1);
});
