// The training progress bar on a terminal (train/progress.ts's ProgressBar), drawn with
// cli-progress: step/total, ETA, loss, learning rate and tokens/s on one line of `stream`.
import cliProgress from 'cli-progress';
import type { ProgressBar } from '../train/progress.js';

export function terminalBar(stream: NodeJS.WritableStream): ProgressBar {
  const bar = new cliProgress.SingleBar({
    stream,
    format:
      'train {bar} {value}/{total} | ETA {eta_formatted} | loss {loss} | lr {lr} | {tps} tok/s',
    hideCursor: true,
    etaBuffer: 50,
  });
  return {
    start: (total, start, fields) => bar.start(total, start, fields),
    update: (value, fields) => bar.update(value, fields),
    clearLine: () => void stream.write('\r\x1b[2K'),
    stop: () => bar.stop(),
  };
}
