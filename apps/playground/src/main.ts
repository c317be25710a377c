// The playground page: three tabs over the nnkit packages — train a network, race the optimizers
// on test surfaces, search hyperparameters — with all numeric work in Web Workers.
import './styles.css';
import { DEFAULT_CONFIG, type RunConfig, resolveConfig } from './training/config';
import { byId } from './ui/dom';
import { createRacePanel } from './ui/race-panel';
import { createTrainingPanel } from './ui/training-panel';
import { createTuningPanel } from './ui/tuning-panel';

/** What the page exposes for automated checks (the browser tests), on `window.nnkitPlayground`. */
export interface PlaygroundHooks {
  /** The training tab's current settings. */
  config(): RunConfig;
  /** Trains an independent run of `config` for `steps` steps in a training worker; float32 bits of its weights. */
  probe(config: Partial<RunConfig>, steps: number): Promise<number[][]>;
  /** Threads the training worker's kernels ran on in the last probe (null before one). */
  threads(): number | null;
}

declare global {
  interface Window {
    nnkitPlayground: PlaygroundHooks;
  }
}

const training = createTrainingPanel(DEFAULT_CONFIG);
let raceStarted = false;

function showTab(name: string): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) {
    const on = button.dataset.tab === name;
    button.setAttribute('aria-selected', String(on));
    byId(`tab-${button.dataset.tab}`).hidden = !on;
  }
  // The race's worker starts when its tab is first opened, not with the page.
  if (name === 'paths' && !raceStarted) {
    raceStarted = true;
    createRacePanel();
  }
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) {
  button.addEventListener('click', () => showTab(button.dataset.tab!));
}
createTuningPanel(() => training.config, (patch) => {
  training.apply(patch);
  showTab('train');
});

window.nnkitPlayground = {
  config: () => training.config,
  probe: (config, steps) => training.client.probe(resolveConfig(config), steps),
  threads: () => training.client.probeThreads,
};
