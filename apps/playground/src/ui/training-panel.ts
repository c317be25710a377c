// The training tab: the controls, the toolbar, the views, and the training worker behind them.
// Every change of a setting builds a new run (same seed ⇒ same start); play, pause and step drive it.
import type { DatasetName, RunConfig } from '../training/config';
import type { GradCheckMessage, ProgressMessage, ReadyMessage, TrainerMessage } from '../training/protocol';
import { TrainerClient } from '../training/trainer-client';
import { boundaryView } from './boundary-view';
import { createControls } from './controls';
import { renderDiagnosis } from './diagnosis-view';
import { digitsView } from './digits-view';
import { byId } from './dom';
import { renderGradCheck } from './grad-check-view';
import { TrainingCharts } from './training-charts';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** What the training tab exposes to the rest of the page. */
export interface TrainingPanel {
  readonly config: RunConfig;
  readonly client: TrainerClient;
  apply(patch: Partial<RunConfig>): void;
}

/**
 * Wires the training tab of index.html.
 *
 * @param initial - the starting settings
 * @returns the current settings, the worker client and a setter
 */
export function createTrainingPanel(initial: RunConfig): TrainingPanel {
  let ready: ReadyMessage | null = null;
  let progress: ProgressMessage | null = null;
  let probabilities: Float32Array | null = null;
  let digitPredictions: Int32Array | null = null;
  let playing = false;
  let lastEvaluation: ProgressMessage['evaluation'] | null = null;

  const playButton = byId<HTMLButtonElement>('play');
  const status = byId('status');
  const boundaryCanvas = byId<HTMLCanvasElement>('boundary');
  const digitsCanvas = byId<HTMLCanvasElement>('digits');
  const showDev = byId<HTMLInputElement>('show-dev');
  const bayes = byId<HTMLInputElement>('bayes-error');
  const charts = new TrainingCharts(byId('loss-chart'), byId('lr-chart'), byId('grad-chart'));
  const redrawBoundary = boundaryView(boundaryCanvas, () => ({
    grid: ready?.grid ?? null, classes: ready?.classes ?? 2, probabilities, points: ready?.points ?? null, showDev: showDev.checked,
  }));
  const redrawDigits = digitsView(digitsCanvas, () => ({
    pixels: ready?.digits?.pixels ?? null, labels: ready?.digits?.labels ?? null, predictions: digitPredictions,
  }));

  const setPlaying = (on: boolean) => {
    playing = on;
    playButton.textContent = on ? 'Pause' : 'Play';
    playButton.setAttribute('aria-pressed', String(on));
    if (ready && !status.classList.contains('error')) status.textContent = on ? 'Training…' : 'Paused.';
  };

  const showEvaluation = () => {
    const e = lastEvaluation;
    byId('train-loss').textContent = e ? e.trainLoss.toFixed(4) : '–';
    byId('dev-loss').textContent = e ? e.devLoss.toFixed(4) : '–';
    byId('train-accuracy').textContent = e ? pct(e.trainAccuracy) : '–';
    byId('dev-accuracy').textContent = e ? pct(e.devAccuracy) : '–';
    if (e) renderDiagnosis(byId('diagnosis'), e.trainAccuracy, e.devAccuracy, Number(bayes.value) / 100);
  };

  const showStatus = () => {
    if (!ready) return;
    const iteration = lastEvaluation?.iteration ?? 0;
    const done = progress?.iterations.length ? progress.iterations[progress.iterations.length - 1] : iteration;
    byId('epoch').textContent = String(progress?.epoch ?? 0);
    byId('iteration').textContent = String(Math.max(done, iteration));
  };

  const onMessage = (message: TrainerMessage) => {
    switch (message.type) {
      case 'ready':
        ready = message;
        progress = null;
        probabilities = null;
        digitPredictions = null;
        lastEvaluation = null;
        charts.reset(message.layers);
        boundaryCanvas.hidden = message.grid === null;
        digitsCanvas.hidden = message.digits === null;
        byId('show-dev-label').hidden = message.grid === null;
        byId('view-title').textContent = message.grid ? 'Decision boundary' : 'Dev digits and predictions';
        byId('model-summary').textContent =
          `${message.trainSize} train / ${message.devSize} dev examples · ${message.features} inputs · ${message.classes} classes · ${message.parameters} parameters`;
        status.textContent = 'Ready — press Play or Step.';
        redrawBoundary();
        redrawDigits();
        return;
      case 'progress':
        progress = message;
        charts.add(message);
        if (message.evaluation) lastEvaluation = message.evaluation;
        if (message.boundary) probabilities = message.boundary;
        if (message.digitPredictions) digitPredictions = message.digitPredictions;
        if (message.evaluation) {
          showEvaluation();
          redrawBoundary();
          redrawDigits();
        }
        showStatus();
        return;
      case 'gradCheck':
        renderGradCheck(byId('grad-check-result'), message as GradCheckMessage);
        byId<HTMLButtonElement>('grad-check').disabled = false;
        return;
      case 'error':
        // Divergence is a lesson (too large a learning rate), anything else is a fault of the page.
        if (message.code === 'DIVERGED') console.warn(`nnkit playground: ${message.message}`);
        else console.error(`nnkit playground: ${message.message}`);
        setPlaying(false);
        byId<HTMLButtonElement>('grad-check').disabled = false;
        status.textContent = message.message;
        status.classList.add('error');
        return;
      case 'probe':
        return;
    }
  };

  const client = new TrainerClient(onMessage);
  const speed = byId<HTMLSelectElement>('speed');
  const sendSpeed = () => client.send({ type: 'speed', stepsPerSlice: Number(speed.value) });
  speed.addEventListener('change', sendSpeed);
  sendSpeed();
  const restart = (config: RunConfig) => {
    setPlaying(false);
    ready = null;
    status.classList.remove('error');
    status.textContent = config.dataset === 'mnist' ? 'Loading the MNIST digits…' : 'Building the run…';
    byId('grad-check-result').replaceChildren();
    markDataset(config.dataset);
    client.send({ type: 'reset', config });
  };
  const controls = createControls(byId('controls'), initial, restart);

  const datasetButtons = [...document.querySelectorAll<HTMLButtonElement>('[data-dataset]')];
  const markDataset = (name: DatasetName) => {
    for (const b of datasetButtons) b.setAttribute('aria-selected', String(b.dataset.dataset === name));
  };
  for (const b of datasetButtons) b.addEventListener('click', () => controls.set({ dataset: b.dataset.dataset as DatasetName }));

  playButton.addEventListener('click', () => {
    if (!ready) return;
    setPlaying(!playing);
    client.send({ type: playing ? 'play' : 'pause' });
  });
  byId('step').addEventListener('click', () => {
    if (!ready) return;
    setPlaying(false);
    client.send({ type: 'pause' });
    client.send({ type: 'step', count: 1 });
  });
  byId('reset').addEventListener('click', () => restart(controls.config));
  byId<HTMLButtonElement>('grad-check').addEventListener('click', (event) => {
    if (!ready) return;
    (event.currentTarget as HTMLButtonElement).disabled = true;
    byId('grad-check-result').textContent = 'Checking…';
    client.send({ type: 'gradCheck' });
  });
  showDev.addEventListener('change', redrawBoundary);
  bayes.addEventListener('input', showEvaluation);

  restart(initial);
  return {
    get config() {
      return controls.config;
    },
    client,
    apply: (patch) => controls.set(patch),
  };
}
