// run_squad.get_final_text: projects the predicted word pieces (pred_text, "##" joined) back onto
// the original context words (orig_text). BasicTokenizer-tokenize orig_text, find pred_text in it,
// and when the two texts have the same characters once spaces are removed, map the character
// positions one to one; on any failure (not found, lengths differ, a start or end that does not
// map) the original returns orig_text whole — and so does this. Strings are indexed by code
// point, as Python's are.
import { BasicTokenizer } from '../../tokenization/basic.js';
import type { Logger } from '../../util/log.js';

/** _strip_spaces: the characters without " ", and each one's index in `chars`. */
function stripSpaces(chars: readonly string[]): { ns: string[]; nsToS: number[] } {
  const ns: string[] = [];
  const nsToS: number[] = [];
  chars.forEach((c, i) => {
    if (c === ' ') return;
    nsToS.push(i);
    ns.push(c);
  });
  return { ns, nsToS };
}

/** str.find on code point arrays: the first index of `needle` in `hay`, or -1. */
function findCodePoints(hay: readonly string[], needle: readonly string[]): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** orig_ns_to_s_map[tok_s_to_ns_map[position]], or undefined when either step has no entry. */
function mapPosition(
  position: number,
  tokSToNs: Map<number, number>,
  origNsToS: readonly number[],
): number | undefined {
  const ns = tokSToNs.get(position);
  return ns === undefined ? undefined : origNsToS[ns];
}

/** get_final_text(pred_text, orig_text, do_lower_case); verbose logs why a projection failed. */
export function getFinalText(
  predText: string,
  origText: string,
  doLowerCase: boolean,
  verbose: Logger | null = null,
): string {
  const tokText = [...new BasicTokenizer(doLowerCase).tokenize(origText).join(' ')];
  const pred = [...predText];
  const startPosition = findCodePoints(tokText, pred);
  if (startPosition === -1) {
    verbose?.info(`Unable to find text: '${predText}' in '${origText}'`);
    return origText;
  }
  const endPosition = startPosition + pred.length - 1;
  const orig = [...origText];
  const o = stripSpaces(orig);
  const t = stripSpaces(tokText);
  if (o.ns.length !== t.ns.length) {
    verbose?.info(
      `Length not equal after stripping spaces: '${o.ns.join('')}' vs '${t.ns.join('')}'`,
    );
    return origText;
  }
  const tokSToNs = new Map(t.nsToS.map((s, i) => [s, i]));
  const origStart = mapPosition(startPosition, tokSToNs, o.nsToS);
  if (origStart === undefined) {
    verbose?.info("Couldn't map start position");
    return origText;
  }
  const origEnd = mapPosition(endPosition, tokSToNs, o.nsToS);
  if (origEnd === undefined) {
    verbose?.info("Couldn't map end position");
    return origText;
  }
  return orig.slice(origStart, origEnd + 1).join('');
}
