// What a CLI script is: a flag table (the Python script's, same names and defaults), a one-line
// summary, and a main that gets the parsed flags. cli/run.ts does the parsing, --help and the
// required-flag check, so each script's main holds only the Python checks and one library call.
import type { FlagTable, FlagValues } from './flags.js';

export interface Script<F extends FlagTable = FlagTable> {
  readonly name: string;
  readonly summary: string;
  readonly flags: F;
  /** Resolves when done; throws BertError subclasses for bad input. */
  main(flags: FlagValues<F>, positional: string[]): Promise<void>;
}

export function defineScript<F extends FlagTable>(s: Script<F>): Script<F> {
  return s;
}
