// The browser host's own services, in Node: the page's file helpers over the in-memory fs, the
// kernels' .wasm fetched over HTTP from the asset base (a local server stands in for the page's),
// the log sink. Its Web Workers need a browser: the Chromium test covers them.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserHost,
  getFile,
  listFiles,
  PACKAGE_DIR,
  putFile,
  setAssetBase,
  setLogSink,
} from '../../src/host/browser.js';
import { installHost } from '../../src/host/host.js';
import { nodeHost } from '../../src/host/node.js';
import { stderrLogger } from '../../src/util/log.js';
import { REPO } from '../shared.js';

installHost(nodeHost); // importing host/browser.js installed the browser host

let server: Server;
let origin = '';
const requested: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url!);
    const m = /^\/assets\/(kernels(-relaxed)?\.wasm)$/.exec(req.url!);
    if (m === null) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/wasm' });
    res.end(readFileSync(join(REPO, 'build', m[1]!)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('the browser host', () => {
  it('puts, gets and lists files of the in-memory fs, making folders as needed', () => {
    putFile('/page/out/b.txt', 'bé');
    putFile('page/out/sub/a.bin', new Uint8Array([1, 2]));
    putFile('/page/out/a.txt', '');
    expect([...getFile('/page/out/b.txt')]).toEqual([0x62, 0xc3, 0xa9]);
    expect(listFiles('/page')).toEqual([
      '/page/out/a.txt',
      '/page/out/b.txt',
      '/page/out/sub/a.bin',
    ]);
    expect(() => getFile('/page/none')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(browserHost.packageDir()).toBe(PACKAGE_DIR);
    expect(browserHost.fs.statSync(browserHost.tmpdir()).isDirectory()).toBe(true);
  });

  it('fetches the kernels from the asset base, and says where to put them when they are missing', async () => {
    setAssetBase(`${origin}/assets`); // a folder, with or without the final '/'
    const bytes = await browserHost.kernelWasm('kernels.wasm');
    expect(Buffer.from(bytes).equals(readFileSync(join(REPO, 'build/kernels.wasm')))).toBe(true);
    expect(WebAssembly.validate(bytes)).toBe(true);
    await expect(browserHost.kernelWasm('nope.wasm')).rejects.toThrow(
      `${origin}/assets/nope.wasm: HTTP 404`,
    );
    expect(requested).toEqual(['/assets/kernels.wasm', '/assets/nope.wasm']);
    expect(browserHost.loadNativeAddon()).toBe('no native kernels in a browser');
  });

  it('sends the log lines to the page’s sink', () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    installHost(browserHost);
    try {
      stderrLogger.info('step 1/2');
    } finally {
      installHost(nodeHost);
    }
    expect(lines).toEqual(['INFO:bert:step 1/2']);
  });
});
