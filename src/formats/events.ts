// TensorBoard event files, as TF's EventsWriter (tensorflow/core/util/events_writer.cc) writes
// them: `events.out.tfevents.<unix seconds, 10 digits>.<hostname>` in the log directory, TFRecord
// framing, first an Event with file_version "brain.Event:2", then one Event per scalar
// (wall_time, step, summary { value { tag, simple_value } }). Event files are streamed and
// appended to, not renamed into place: TensorBoard reads them while training runs.
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from '../host/fs.js';
import { join } from 'pathe';
import { host } from '../host/host.js';
import { check } from '../util/errors.js';
import { decodeEvent, encodeEvent, type TBEvent } from './protos.js';
import { frameRecord, readTFRecords } from './tfrecord.js';

export type { TBEvent } from './protos.js';

export const FILE_VERSION = 'brain.Event:2';

export interface EventFileOptions {
  /** Seconds since the epoch (fractional), for wall_time and the file name; tests fix it. */
  now?: () => number;
  /** Defaults to the machine's name, as TF's port::Hostname(). */
  hostname?: string;
}

export class EventFileWriter {
  readonly path: string;
  private readonly fd: number;
  private readonly now: () => number;
  private pending: Uint8Array[] = [];
  private closed = false;

  constructor(logDir: string, options: EventFileOptions = {}) {
    this.now = options.now ?? ((): number => Date.now() / 1000);
    const start = this.now();
    const seconds = String(Math.floor(start)).padStart(10, '0');
    mkdirSync(logDir, { recursive: true });
    this.path = join(
      logDir,
      `events.out.tfevents.${seconds}.${options.hostname ?? host().hostname()}`,
    );
    this.fd = openSync(this.path, 'a');
    this.pending.push(
      frameRecord(encodeEvent({ wallTime: start, step: 0, fileVersion: FILE_VERSION })),
    );
    this.flush();
  }

  /** Queues a scalar summary; it reaches the file at the next flush() or close(). */
  addScalar(tag: string, value: number, step: number): void {
    check(!this.closed, () => `internal: ${this.path}: addScalar after close`);
    const ev: TBEvent = { wallTime: this.now(), step, scalars: [{ tag, value }] };
    this.pending.push(frameRecord(encodeEvent(ev)));
  }

  /** Appends the queued events and syncs the file. */
  flush(): void {
    for (const rec of this.pending) {
      let off = 0;
      while (off < rec.length) off += writeSync(this.fd, rec, off, rec.length - off);
    }
    this.pending = [];
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }
}

/** Every Event in an event file, crcs checked (TensorBoard's reader, for tests and tools). */
export function readEvents(path: string): TBEvent[] {
  let n = 0;
  return [...readTFRecords(path)].map((rec) => decodeEvent(rec, `${path}: record ${n++}`));
}
