/// <reference lib="webworker" />
// The training worker: it owns the run and trains in time slices, reporting after each slice, so
// the page stays responsive and play/pause/step take effect between slices.
import { ewmaStream, type EwmaStream } from '@nnkit/metrics';
import { backendInfo } from '@nnkit/tensor-wasm';
import { boundaryGrid, gridPoints } from './grid';
import type { ProgressMessage, ReadyMessage, TrainerMessage, TrainerRequest } from './protocol';
import { createRun, type Run } from './run-config';

/** Training time per slice before the worker reports and looks at its messages again. */
const SLICE_MS = 30;
/** How often the full train and dev sets and the boundary grid are evaluated while playing. */
const EVALUATION_INTERVAL_MS = 100;
/** Pause between throttled slices: about one slice per display frame. */
const FRAME_MS = 16;
/** β of the loss curve's smoothing (≈ the last 1/(1−β) = 20 mini-batches). */
export const SMOOTHING_BETA = 0.95;
/** MNIST dev digits shown with their predictions. */
const DIGITS_SHOWN = 64;

const scope = self as unknown as DedicatedWorkerGlobalScope;

let run: Run | null = null;
let generation = 0;
let playing = false;
let stepsPerSlice = Number.POSITIVE_INFINITY;
let smoothing: EwmaStream = ewmaStream(SMOOTHING_BETA);
let grid: Float32Array | null = null;
let lastEvaluation = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function post(message: TrainerMessage, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

/** Stops playing and tells the page why (divergence, a bad setting, a fault). */
function fail(error: unknown): void {
  playing = false;
  const code = (error as { code?: unknown } | null)?.code;
  post({ type: 'error', message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined });
}

async function reset(config: ReadyMessage['config']): Promise<void> {
  const mine = ++generation;
  playing = false;
  clearTimeout(timer);
  const previous = run;
  run = null;
  await previous?.dispose();
  const next = await createRun(config);
  if (mine !== generation) {
    await next.dispose();
    return;
  }
  run = next;
  smoothing = ewmaStream(SMOOTHING_BETA);
  const { data } = run;
  const twoD = data.features === 2;
  const gridSpec = twoD ? boundaryGrid(data.trainRaw, data.devRaw) : null;
  grid = gridSpec ? gridPoints(gridSpec) : null;
  const shown = Math.min(DIGITS_SHOWN, data.devLabels.length);
  post({
    type: 'ready',
    config: run.config,
    classes: data.classes,
    features: data.features,
    trainSize: data.trainLabels.length,
    devSize: data.devLabels.length,
    parameters: run.model.countParams(),
    layers: run.gradientNorms().map((g) => g.layer),
    points: twoD ? { train: data.trainRaw, trainLabels: data.trainLabels, dev: data.devRaw, devLabels: data.devLabels } : null,
    grid: gridSpec,
    digits: twoD ? null : { pixels: data.devRaw.slice(0, shown * data.features), labels: data.devLabels.slice(0, shown) },
  });
  report(0, true);
}

/** Trains up to `maxSteps` steps within one slice and posts what happened. */
async function slice(maxSteps: number, forceEvaluation: boolean): Promise<void> {
  const current = run;
  if (!current) return;
  const started = performance.now();
  let steps = 0;
  const records = [];
  try {
    while (steps < maxSteps && (steps === 0 || performance.now() - started < SLICE_MS)) {
      records.push(await current.step());
      steps++;
    }
  } catch (error) {
    fail(error);
  }
  const iterations = new Float64Array(records.length);
  const losses = new Float64Array(records.length);
  const smoothed = new Float64Array(records.length);
  const learningRates = new Float64Array(records.length);
  records.forEach((r, i) => {
    iterations[i] = r.iteration;
    losses[i] = r.loss;
    smoothed[i] = smoothing.update(r.loss);
    learningRates[i] = r.learningRate;
  });
  report(records.length, forceEvaluation || !playing, { iterations, losses, smoothed, learningRates });
}

function report(steps: number, forceEvaluation: boolean, series?: Pick<ProgressMessage, 'iterations' | 'losses' | 'smoothed' | 'learningRates'>): void {
  if (!run) return;
  const empty = new Float64Array(0);
  const message: ProgressMessage = {
    type: 'progress',
    playing,
    epoch: run.epoch,
    iterations: series?.iterations ?? empty,
    losses: series?.losses ?? empty,
    smoothed: series?.smoothed ?? empty,
    learningRates: series?.learningRates ?? empty,
    gradientNorms: steps > 0 || run.iterations > 0 ? run.gradientNorms() : [],
  };
  const now = performance.now();
  if (forceEvaluation || now - lastEvaluation >= EVALUATION_INTERVAL_MS) {
    lastEvaluation = now;
    try {
      message.evaluation = { ...run.evaluate(), iteration: run.iterations };
      if (grid) message.boundary = run.probabilities(grid);
      else message.digitPredictions = run.devPredictions(DIGITS_SHOWN);
    } catch (error) {
      fail(error);
    }
  }
  post(message);
}

async function loop(): Promise<void> {
  if (!playing || !run) return;
  await slice(stepsPerSlice, false);
  timer = setTimeout(loop, Number.isFinite(stepsPerSlice) ? FRAME_MS : 0);
}

async function handle(request: TrainerRequest): Promise<void> {
  switch (request.type) {
    case 'reset':
      return reset(request.config);
    case 'play':
      if (!run || playing) return;
      playing = true;
      return loop();
    case 'pause':
      playing = false;
      clearTimeout(timer);
      report(0, true);
      return;
    case 'step':
      return slice(request.count, true);
    case 'speed':
      stepsPerSlice = request.stepsPerSlice;
      return;
    case 'gradCheck': {
      if (!run) return;
      const r = run.gradCheck();
      post({ type: 'gradCheck', relativeDifference: r.relativeDifference, passed: r.passed, checked: r.checked, total: r.total, worst: r.worst, notes: r.notes });
      return;
    }
    case 'probe': {
      // A probe is independent of the page's run: its failure is reported to the caller only.
      try {
        const probe = await createRun(request.config);
        try {
          await probe.train(request.steps);
          post({ type: 'probe', id: request.id, bits: probe.weightBits(), threads: backendInfo().threads });
        } finally {
          await probe.dispose();
        }
      } catch (error) {
        post({ type: 'error', message: error instanceof Error ? error.message : String(error), id: request.id });
      }
      return;
    }
  }
}

scope.addEventListener('message', (event: MessageEvent<TrainerRequest>) => {
  handle(event.data).catch((error) => fail(error));
});
