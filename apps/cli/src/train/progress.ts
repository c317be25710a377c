// The live view of training: a progress bar per epoch on a terminal (cli-progress), and one summary
// line per finished epoch on stdout in every case — the line the report's numbers are checked against.
import cliProgress from 'cli-progress';
import { int, num4, pct, rate, secs } from '../format';
import type { Io } from '../io';
import type { BatchProgress, EpochRecord } from './train-loop';

/** The summary line of one epoch. */
export function epochLine(r: EpochRecord, epochs: number): string {
  const w = String(epochs).length;
  return `epoch ${String(r.epoch).padStart(w)}/${epochs}  loss ${num4(r.loss)}  acc ${pct(r.accuracy)}  dev loss ${num4(r.devLoss)}  dev acc ${pct(r.devAccuracy)}  lr ${rate(r.lr)}  ${int(r.samplesPerSecond)} samples/s  ${secs(r.seconds)}`;
}

/** Draws the bars and prints the epoch lines. */
export class EpochProgress {
  #io: Io;
  #epochs: number;
  #bar: cliProgress.SingleBar | null = null;

  constructor(io: Io, epochs: number) {
    this.#io = io;
    this.#epochs = epochs;
  }

  /** Called during an epoch. */
  update(p: BatchProgress): void {
    const stream = this.#io.progressStream;
    if (!stream) return;
    const payload = { epoch: `${String(p.epoch).padStart(String(this.#epochs).length)}/${this.#epochs}`, loss: num4(p.loss), acc: pct(p.accuracy), lr: rate(p.lr), speed: int(p.samplesPerSecond) };
    if (!this.#bar) {
      this.#bar = new cliProgress.SingleBar(
        {
          format: 'epoch {epoch} {bar} {percentage}% | loss {loss} | acc {acc} | lr {lr} | {speed} samples/s',
          stream,
          barsize: 24,
          clearOnComplete: true,
          hideCursor: true,
          fps: 12,
        },
        cliProgress.Presets.shades_classic,
      );
      this.#bar.start(p.batches, p.batch, payload);
    } else {
      this.#bar.update(p.batch, payload);
    }
  }

  /** Called when an epoch ends: clears its bar and prints its line. */
  end(r: EpochRecord): void {
    this.stop();
    this.#io.out(epochLine(r, this.#epochs));
  }

  /** Removes a bar left on screen (e.g. when training diverged mid-epoch). */
  stop(): void {
    if (this.#bar) {
      this.#bar.stop();
      this.#bar = null;
    }
  }
}
