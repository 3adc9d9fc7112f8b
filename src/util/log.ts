// Logging in the shape of tf.logging (`INFO:tensorflow:...` lines on stderr), so logs of bert-ts
// and of the Python scripts can be compared line by line. Library code takes a Logger; the CLI
// passes `stderrLogger` (the host's log output: stderr in Node), tests pass `silentLogger` or a
// collecting one.
import { host } from '../host/host.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export const stderrLogger: Logger = {
  info: (m) => host().writeLog(`INFO:bert:${m}`),
  warn: (m) => host().writeLog(`WARNING:bert:${m}`),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {} };

/** A logger that keeps its lines, for tests that check what was logged. */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`INFO:${m}`),
    warn: (m) => lines.push(`WARNING:${m}`),
  };
}

/** The library API's default: warnings on stderr (an untrained head, missing tensors), no info. */
export const warningsLogger: Logger = { info: () => {}, warn: stderrLogger.warn };
