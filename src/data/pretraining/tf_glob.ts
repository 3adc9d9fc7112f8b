// tf.gfile.Glob for local files, as TensorFlow 1.15 computes it (file_system_helper.cc
// GetMatchingPaths, matching with fnmatch(pattern, path, FNM_PATHNAME)). Written by hand rather
// than with a glob package because the *order* of the files decides create_pretraining_data's
// documents, and TF does not sort: it walks directories breadth-first in the order the file
// system lists them (readdir), which glob packages sort away. The host's readdirRawSync reads in
// that same raw order (Node: fs.opendirSync; fs.readdirSync sorts), so on the same directory
// bert-ts sees Google's order.
import { existsSync, readdirRawSync, statSync } from '../../host/fs.js';

/** TF's io::Dirname: the part before the last "/" ("" if none, "/" for a top-level path). */
function tfDirname(path: string): string {
  const slash = path.lastIndexOf('/');
  if (slash < 0) return '';
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** TF's io::JoinPath for two parts. */
function tfJoin(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** A bracket expression starting at `pattern[i] === '['`: its regex and the index after it. */
function bracket(pattern: string, i: number): { re: string; next: number } | null {
  let j = i + 1;
  const negate = pattern[j] === '!' || pattern[j] === '^';
  if (negate) j++;
  let body = '';
  for (let first = true; j < pattern.length && (first || pattern[j] !== ']'); j++, first = false) {
    const c = pattern[j]!;
    body += c === '\\' || c === ']' || c === '[' || c === '^' ? `\\${c}` : c;
  }
  if (j >= pattern.length) return null; // no closing "]": the "[" is literal
  return { re: `(?!/)[${negate ? '^' : ''}${body}]`, next: j + 1 };
}

/** fnmatch(pattern, ·, FNM_PATHNAME) as a RegExp: * and ? never match "/", \ escapes. */
export function fnmatchRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === '*') [re, i] = [re + '[^/]*', i + 1];
    else if (c === '?') [re, i] = [re + '[^/]', i + 1];
    else if (c === '[' && bracket(pattern, i) !== null) {
      const b = bracket(pattern, i)!;
      [re, i] = [re + b.re, b.next];
    } else {
      const lit = c === '\\' && i + 1 < pattern.length ? pattern[i + 1]! : c;
      re += lit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i += c === '\\' && i + 1 < pattern.length ? 2 : 1;
    }
  }
  return new RegExp(`^${re}$`, 'su');
}

/** Directory entries in the file system's own order, without "." and "..". */
function rawChildren(dir: string): string[] {
  try {
    return readdirRawSync(dir);
  } catch {
    return []; // unreadable or missing: TF skips it (or reports nothing matched)
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The paths matching `pattern`, in TF's order (breadth-first, raw directory order). */
export function tfGlob(pattern: string): string[] {
  const firstWild = pattern.search(/[*?[\\]/);
  if (firstWild < 0) return existsSync(pattern) ? [pattern] : [];
  let dir = tfDirname(pattern.slice(0, firstWild));
  let evalPattern = pattern;
  if (dir === '') [dir, evalPattern] = ['.', tfJoin('.', pattern)];
  // The pattern of each level below `dir`, outermost first, ending with the whole pattern.
  const levels = [evalPattern];
  for (let d = tfDirname(evalPattern); d.length > dir.length; d = tfDirname(d)) levels.push(d);
  levels.reverse();
  const matchers = levels.map(fnmatchRegExp);
  const results: string[] = [];
  const queue: Array<[string, number]> = [[dir, 0]];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const [current, depth] = item;
    const last = depth === levels.length - 1;
    for (const name of rawChildren(current)) {
      const child = tfJoin(current, name);
      if (!matchers[depth]!.test(child)) continue;
      if (last) results.push(child);
      else if (isDirectory(child)) queue.push([child, depth + 1]);
    }
  }
  return results;
}
