// TensorBoard event files: written, then read back record by record (crcs checked) and decoded.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventFileWriter, FILE_VERSION, readEvents } from '../../src/formats/events.js';
import { readTFRecords } from '../../src/formats/tfrecord.js';

function clock(start: number): () => number {
  let t = start;
  return () => (t += 0.25);
}

describe('EventFileWriter', () => {
  it('names the file events.out.tfevents.<10-digit seconds>.<host> and starts with brain.Event:2', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ev-')), 'logs');
    const w = new EventFileWriter(dir, { now: clock(1700000000.5), hostname: 'box' });
    w.close();
    expect(readdirSync(dir)).toEqual(['events.out.tfevents.1700000000.box']);
    expect(readEvents(w.path)).toEqual([
      { wallTime: 1700000000.75, step: 0, fileVersion: FILE_VERSION },
    ]);
  });

  it('scalars: step, tag and value (as float32) per event, in order; visible after flush', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ev-'));
    const w = new EventFileWriter(dir, { now: clock(100), hostname: 'h' });
    w.addScalar('loss', 0.6516086, 1);
    w.addScalar('learning_rate', 2e-4, 1);
    expect(readEvents(w.path).length).toBe(1);
    w.flush();
    w.addScalar('global_step/sec', 3.25, 2 ** 40);
    w.close();
    const events = readEvents(w.path);
    expect(events.slice(1)).toEqual([
      { wallTime: 100.5, step: 1, scalars: [{ tag: 'loss', value: Math.fround(0.6516086) }] },
      { wallTime: 100.75, step: 1, scalars: [{ tag: 'learning_rate', value: Math.fround(2e-4) }] },
      { wallTime: 101, step: 2 ** 40, scalars: [{ tag: 'global_step/sec', value: 3.25 }] },
    ]);
    expect(Math.fround(0.6516086)).not.toBe(0.6516086);
  });

  it('the first record is the Event proto TF writes (wall_time double, file_version string)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ev-'));
    const w = new EventFileWriter(dir, { now: () => 1.5, hostname: 'h' });
    w.close();
    const [first] = [...readTFRecords(w.path)];
    // field 1 (double) = 1.5, field 3 (string) = "brain.Event:2"
    const want = Buffer.concat([
      Buffer.from([0x09, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0x1a, 13]),
      Buffer.from('brain.Event:2'),
    ]);
    expect(Buffer.from(first!).equals(want)).toBe(true);
    expect(readFileSync(w.path).length).toBe(12 + want.length + 4);
  });
});
