// The page's handle on a training worker: typed requests, a listener for its messages, and the
// probe used by tests (train an independent run, get its weights back).
import { entryUrl } from '../module-url';
import type { RunConfig } from './config';
import type { TrainerMessage, TrainerRequest } from './protocol';

/** A training worker seen from the page. */
export class TrainerClient {
  readonly #worker: Worker;
  #probes = new Map<number, { resolve: (bits: number[][]) => void; reject: (e: Error) => void }>();
  #nextProbe = 1;
  /** Threads the worker's kernels ran on in the last probe (null before one). */
  probeThreads: number | null = null;

  /** @param onMessage - receives every message except probe answers */
  constructor(onMessage: (message: TrainerMessage) => void) {
    this.#worker = new Worker(entryUrl('training-worker'), { type: 'module', name: 'nnkit-training' });
    this.#worker.addEventListener('message', (event: MessageEvent<TrainerMessage>) => {
      const message = event.data;
      const probe = 'id' in message && message.id !== undefined ? this.#probes.get(message.id) : undefined;
      if (probe && (message.type === 'probe' || message.type === 'error')) {
        this.#probes.delete(message.id!);
        if (message.type === 'probe') {
          this.probeThreads = message.threads;
          probe.resolve(message.bits);
        }
        else probe.reject(new Error(message.message));
        return;
      }
      onMessage(message);
    });
    this.#worker.addEventListener('error', (event) => {
      onMessage({ type: 'error', message: `training worker: ${event.message}` });
    });
  }

  send(request: TrainerRequest): void {
    this.#worker.postMessage(request);
  }

  /**
   * Trains an independent run of `config` for `steps` steps in the worker.
   * @returns the float32 bit patterns of its weights
   */
  probe(config: RunConfig, steps: number): Promise<number[][]> {
    const id = this.#nextProbe++;
    return new Promise((resolve, reject) => {
      this.#probes.set(id, { resolve, reject });
      this.send({ type: 'probe', id, config, steps });
    });
  }
}
