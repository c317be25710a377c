/// <reference lib="webworker" />
// The optimizer race runs here, off the page's thread; the page asks for one step per frame.
import { init } from '@nnkit/tensor-wasm';
import type { OptimizerChoice } from '../training/config';
import { Race, type RunnerState } from './race';
import type { SurfaceName } from './surfaces';

/** Page → worker. */
export type RaceRequest =
  | { type: 'reset'; surface: SurfaceName; start: [number, number]; rates: Record<OptimizerChoice, number> }
  | { type: 'step'; count: number };

/** Worker → page: positions after a reset or a step. */
export type RaceMessage = { type: 'positions'; iteration: number; runners: RunnerState[] } | { type: 'error'; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
let race: Race | null = null;
let iteration = 0;
const ready = init();

scope.addEventListener('message', async (event: MessageEvent<RaceRequest>) => {
  const request = event.data;
  try {
    await ready;
    if (request.type === 'reset') {
      race?.dispose();
      race = new Race(request.surface, request.start, request.rates);
      iteration = 0;
      scope.postMessage({ type: 'positions', iteration, runners: race.positions() } satisfies RaceMessage);
      return;
    }
    if (!race) return;
    let runners = race.positions();
    for (let i = 0; i < request.count; i++) runners = race.step();
    iteration += request.count;
    scope.postMessage({ type: 'positions', iteration, runners } satisfies RaceMessage);
  } catch (error) {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies RaceMessage);
  }
});
