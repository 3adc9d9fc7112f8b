// Python's json.dumps for the files run_squad and the official SQuAD evaluation write:
// ensure_ascii strings (pyJsonString), floats as repr (pyJsonFloat), ints as ints, keys in
// insertion order (collections.OrderedDict / dict), and with indent=N the layout
// `{\n<N spaces>"key": value,\n…\n}` (item separator "," at line ends, key separator ": "); without
// indent, one line with ", " and ": ". Empty containers print as {} and [].
import { pyJsonFloat, pyJsonString } from './py_format.js';

/** A Python int (printed without a decimal point); every plain JS number is a Python float. */
export class PyInt {
  constructor(readonly value: number) {}
}

export type PyJsonValue =
  | string
  | number
  | boolean
  | null
  | PyInt
  | readonly PyJsonValue[]
  | ReadonlyMap<string, PyJsonValue>;

function scalar(v: string | number | boolean | null | PyInt): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return pyJsonString(v);
  if (v instanceof PyInt) return String(v.value);
  return pyJsonFloat(v);
}

function dump(v: PyJsonValue, indent: number | null, level: number): string {
  if (Array.isArray(v) || v instanceof Map) {
    const entries: string[] = [];
    if (v instanceof Map)
      for (const [k, x] of v) entries.push(`${pyJsonString(k)}: ${dump(x, indent, level + 1)}`);
    else for (const x of v as readonly PyJsonValue[]) entries.push(dump(x, indent, level + 1));
    const [open, close] = v instanceof Map ? ['{', '}'] : ['[', ']'];
    if (entries.length === 0) return open + close;
    if (indent === null) return open + entries.join(', ') + close;
    const inner = '\n' + ' '.repeat(indent * (level + 1));
    const outer = '\n' + ' '.repeat(indent * level);
    return open + inner + entries.join(',' + inner) + outer + close;
  }
  return scalar(v as string | number | boolean | null | PyInt);
}

/** json.dumps(v, indent=indent) (indent null: the one-line default). */
export function pyJsonDumps(v: PyJsonValue, indent: number | null = null): string {
  return dump(v, indent, 0);
}
