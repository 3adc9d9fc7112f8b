// `bert tokenize`: the stream loop against the Python golden table (all 300 texts, input cut into
// chunks at every possible kind of place, including inside UTF-8 sequences and JSON escapes),
// and each bad-input path: one error naming the line, the answers before it written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tokenizeStream } from '../../src/cli/tokenize.js';
import { FullTokenizer } from '../../src/tokenization/full.js';
import { FormatError } from '../../src/util/errors.js';
import { REPO, SHARED } from '../shared.js';

interface GoldenCase {
  text: string;
  uncased_lower: { tokens: string[]; ids: number[] };
}
const cases = (
  JSON.parse(readFileSync(join(REPO, 'test/fixtures/tokenization/golden.json'), 'utf8')) as {
    cases: GoldenCase[];
  }
).cases;
const tokenizer = FullTokenizer.fromFile(join(SHARED, 'vocab/uncased/vocab.txt'), true);

/** Runs the stream loop over `input` cut into `chunkSize`-byte chunks; returns output + error. */
async function run(input: Buffer, chunkSize: number): Promise<{ out: string; error?: Error }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunkSize) chunks.push(input.subarray(i, i + chunkSize));
  const sink = new PassThrough();
  const got: Buffer[] = [];
  sink.on('data', (b: Buffer) => got.push(b));
  let error: Error | undefined;
  try {
    await tokenizeStream(tokenizer, Readable.from(chunks), sink);
  } catch (e) {
    error = e as Error;
  }
  return { out: Buffer.concat(got).toString('utf8'), error };
}

const inputOf = (texts: string[]): Buffer =>
  Buffer.from(texts.map((text) => JSON.stringify({ text }) + '\n').join(''), 'utf8');

describe('bert tokenize stream', () => {
  const texts = cases.map((c) => c.text);
  const want = cases.map((c) => JSON.stringify(c.uncased_lower) + '\n').join('');

  it.each([1, 7, 4096, 1 << 20])(
    '300 golden texts in %i-byte chunks: Python answers',
    async (n) => {
      const { out, error } = await run(inputOf(texts), n);
      expect(error).toBeUndefined();
      expect(out).toBe(want);
    },
  );

  it('raw UTF-8, escaped surrogate pairs, CRLF line ends and no final newline', async () => {
    const input = Buffer.from('{"text":"caf\u00e9 \\ud83d\\ude02"}\r\n{"text": "[MASK]"}', 'utf8');
    const { out, error } = await run(input, 3);
    expect(error).toBeUndefined();
    expect(out.split('\n').map((l) => (l ? JSON.parse(l) : l))).toEqual([
      { tokens: ['cafe', '[UNK]'], ids: [7668, 100] },
      { tokens: ['[', 'mask', ']'], ids: [1031, 7308, 1033] },
      '',
    ]);
  });

  it('empty text gives empty arrays; other keys are ignored', async () => {
    const { out } = await run(Buffer.from('{"text":""}\n{"id":7,"text":" "}\n'), 5);
    expect(out).toBe('{"tokens":[],"ids":[]}\n{"tokens":[],"ids":[]}\n');
  });
});

describe('bert tokenize on a large input', () => {
  it('50,000 lines from a lazy source: every answer, in order, through a slow reader', async () => {
    const LINES = 50_000;
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < LINES; i += 1000) {
        const block: string[] = [];
        for (let k = i; k < i + 1000; k++) block.push(JSON.stringify({ text: `line ${k}, ok.` }));
        yield Buffer.from(block.join('\n') + '\n');
      }
    }
    const sink = new PassThrough({ highWaterMark: 1024 }); // forces waits for 'drain'
    let lines = 0;
    let last = '';
    sink.on('data', (b: Buffer) => {
      const text = b.toString('utf8');
      lines += text.split('\n').length - 1;
      last = text;
    });
    await tokenizeStream(tokenizer, source(), sink);
    expect(lines).toBe(LINES);
    expect(last.trimEnd().split('\n').pop()).toBe(
      JSON.stringify({
        tokens: ['line', '49', '##9', '##9', '##9', ',', 'ok', '.'],
        ids: [2240, 4749, 2683, 2683, 2683, 1010, 7929, 1012],
      }),
    );
  });
});

describe('bert tokenize bad input', () => {
  const good = '{"text":"hello"}\n';
  const helloOut = '{"tokens":["hello"],"ids":[7592]}\n';

  it.each([
    ['not JSON', '{"text": "a"', '<stdin>: line 3: not JSON'],
    ['a blank line', '', '<stdin>: line 3: not JSON'],
    ['no text key', '{"txt":"a"}', '<stdin>: line 3: expected an object with a string "text"'],
    ['text not a string', '{"text":5}', '<stdin>: line 3: expected an object with a string "text"'],
    ['a JSON string, not an object', '"a"', '<stdin>: line 3: expected an object'],
    ['null', 'null', '<stdin>: line 3: expected an object'],
  ])('%s: FormatError naming line 3, lines 1-2 answered', async (_name, bad, message) => {
    const input = Buffer.from(good + good + bad + '\n' + good, 'utf8');
    const { out, error } = await run(input, 4);
    expect(error).toBeInstanceOf(FormatError);
    expect(error?.message).toContain(message);
    expect(out).toBe(helloOut + helloOut);
  });

  it('invalid UTF-8: FormatError naming the line', async () => {
    const input = Buffer.concat([Buffer.from(good), Buffer.from([0x7b, 0xff, 0x7d, 0x0a])]);
    const { out, error } = await run(input, 2);
    expect(error?.message).toBe('<stdin>: line 2: invalid UTF-8');
    expect(out).toBe(helloOut);
  });

  it('a vocab without [UNK]: the KeyError of convert_tokens_to_ids, with the line', async () => {
    const { Vocab } = await import('../../src/tokenization/vocab.js');
    const small = new FullTokenizer(new Vocab(['a']), true);
    const sink = new PassThrough();
    const input = Readable.from([Buffer.from('{"text":"a"}\n{"text":"b"}\n')]);
    await expect(tokenizeStream(small, input, sink)).rejects.toThrow(
      '<stdin>: line 2: token "[UNK]" is not in the vocabulary <in-memory vocab>',
    );
  });
});
