#!/usr/bin/env node
// `bert <script> --flag=value ...`: the one entry point. The dispatch and the error report are
// main.ts's; this file owns the process: argv, the exit code, a closed stdout.
import '../host/node.js'; // first: every module after it runs on the Node host (host/host.ts)
import { errorReport, runCommand } from './main.js';

// `bert inspect_checkpoint ... | head` closes stdout early: stop quietly, as Python's tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

runCommand(process.argv.slice(2), process.stdout).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (e: unknown) => {
    const { text, exitCode } = errorReport(e);
    process.stderr.write(text);
    process.exit(exitCode);
  },
);
