// The hyperparameter-search tab: random search (not a grid) over the learning rate on a log scale
// and β on a log scale of 1 − β, each trial training the training tab's model in its own Web
// Worker; trials appear on the plot as they finish, coloured by dev accuracy.
import { logUniform, oneMinusLogUniform, randomSearch, type TrialRecord } from '@nnkit/tuning';
import { entryUrl } from '../module-url';
import type { RunConfig } from '../training/config';
import { autoCanvas } from './canvas';
import { byId, el } from './dom';

/** α from 1e-4 to 1, sampled as 10^r: the course's range for the learning rate. */
export const LEARNING_RATE_RANGE: [number, number] = [1e-4, 1];
/** β from 0.9 (averaging ≈ 10 values) to 0.999 (≈ 1000), sampled as 1 − β = 10^r. */
export const BETA_RANGE: [number, number] = [0.9, 0.999];
const PAD = { left: 52, right: 14, top: 12, bottom: 36 };


/** Accuracy 0.5 → pale, 1 → dark green; below 0.5 stays pale. */
function accuracyColor(value: number): string {
  const t = Math.max(0, Math.min(1, (value - 0.5) / 0.5));
  return `hsl(${20 + 110 * t}, 70%, ${70 - 35 * t}%)`;
}

/**
 * Wires the tuning tab of index.html.
 *
 * @param currentConfig - the training tab's settings when a search starts
 * @param useTrial - applies a trial's learning rate and β to the training tab
 */
export function createTuningPanel(currentConfig: () => RunConfig, useTrial: (patch: Partial<RunConfig>) => void): void {
  let trials: TrialRecord[] = [];
  const canvas = byId<HTMLCanvasElement>('tuning-plot');
  const startButton = byId<HTMLButtonElement>('tuning-start');
  const status = byId('tuning-status');
  const lx = (lr: number) => Math.log10(lr);
  const ly = (beta: number) => Math.log10(1 - beta);

  const redraw = autoCanvas(canvas, ({ ctx, width, height }) => {
    const plotW = width - PAD.left - PAD.right;
    const plotH = height - PAD.top - PAD.bottom;
    const [x0, x1] = LEARNING_RATE_RANGE.map(lx);
    const [y0, y1] = BETA_RANGE.map(ly);
    const px = (lr: number) => PAD.left + ((lx(lr) - x0) / (x1 - x0)) * plotW;
    const py = (beta: number) => PAD.top + ((ly(beta) - y0) / (y1 - y0)) * plotH;
    ctx.fillStyle = '#fbfcfd';
    ctx.fillRect(PAD.left, PAD.top, plotW, plotH);
    ctx.strokeStyle = '#e3e7ee';
    ctx.fillStyle = '#5b6575';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let e = x0; e <= x1; e++) {
      const x = Math.round(px(10 ** e)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, PAD.top);
      ctx.lineTo(x, PAD.top + plotH);
      ctx.stroke();
      ctx.fillText(`1e${e}`, x, PAD.top + plotH + 4);
    }
    ctx.fillText('learning rate α (log scale)', PAD.left + plotW / 2, height - 14);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const beta of [0.9, 0.99, 0.999]) {
      const y = Math.round(py(beta)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(PAD.left, y);
      ctx.lineTo(PAD.left + plotW, y);
      ctx.stroke();
      ctx.fillText(`β ${beta}`, PAD.left - 6, y);
    }
    const done = trials.filter((t) => t.state === 'complete');
    const best = done.reduce<TrialRecord | null>((b, t) => (b === null || t.value > b.value ? t : b), null);
    for (const t of trials) {
      const x = px(t.params.learningRate as number);
      const y = py(t.params.beta as number);
      ctx.beginPath();
      ctx.arc(x, y, t === best ? 7 : 5, 0, 2 * Math.PI);
      ctx.fillStyle = t.state === 'complete' ? accuracyColor(t.value) : '#c7ccd4';
      ctx.fill();
      ctx.lineWidth = t === best ? 2.5 : 1;
      ctx.strokeStyle = t === best ? '#111' : 'rgba(0, 0, 0, 0.35)';
      ctx.stroke();
    }
  });

  const renderTable = () => {
    const ranked = trials.filter((t) => t.state === 'complete').sort((a, b) => b.value - a.value).slice(0, 5);
    byId('tuning-table').replaceChildren(
      el('thead', {}, [el('tr', {}, [
        el('th', {}, ['trial']), el('th', { class: 'num' }, ['α']), el('th', { class: 'num' }, ['β']),
        el('th', { class: 'num' }, ['dev accuracy']), el('th', {}, []),
      ])]),
      el('tbody', {}, ranked.map((t) => {
        const use = el('button', { type: 'button', class: 'small' }, ['Use']);
        use.addEventListener('click', () => useTrial({ learningRate: t.params.learningRate as number, beta: t.params.beta as number }));
        return el('tr', {}, [
          el('td', {}, [String(t.id)]),
          el('td', { class: 'num' }, [(t.params.learningRate as number).toExponential(2)]),
          el('td', { class: 'num' }, [(t.params.beta as number).toFixed(4)]),
          el('td', { class: 'num' }, [`${(100 * t.value).toFixed(1)}%`]),
          el('td', {}, [use]),
        ]);
      })),
    );
  };

  startButton.addEventListener('click', async () => {
    const count = Number(byId<HTMLInputElement>('tuning-trials').value);
    const epochs = Number(byId<HTMLInputElement>('tuning-epochs').value);
    const optimizer = byId<HTMLSelectElement>('tuning-optimizer').value as 'adam' | 'momentum';
    const concurrency = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    const config = { ...currentConfig(), optimizer };
    trials = [];
    startButton.disabled = true;
    status.textContent = `Running ${count} trials, ${concurrency} at a time…`;
    redraw();
    renderTable();
    try {
      const study = await randomSearch(
        {
          learningRate: logUniform(...LEARNING_RATE_RANGE),
          beta: oneMinusLogUniform(...BETA_RANGE),
          config: JSON.stringify(config),
          epochs,
        },
        entryUrl('tuning-objective'),
        {
          trials: count, seed: config.seed, direction: 'maximize', concurrency, progress: false,
          onTrialEnd: (trial) => {
            trials = [...trials, trial];
            status.textContent = `${trials.length} of ${count} trials done…`;
            redraw();
            renderTable();
          },
        },
      );
      const failed = study.trials.filter((t) => t.state === 'failed').length;
      const pruned = study.trials.filter((t) => t.state === 'pruned').length;
      status.textContent = `Done: best dev accuracy ${(100 * study.best.value).toFixed(1)}% at α = ${(study.best.params.learningRate as number).toExponential(2)}, β = ${(study.best.params.beta as number).toFixed(4)}` +
        `${pruned ? ` · ${pruned} pruned` : ''}${failed ? ` · ${failed} diverged or failed` : ''}.`;
    } catch (error) {
      // The first failure's reason says more than "no trial completed".
      const reason = trials.find((t) => t.error)?.error;
      status.textContent = `Search stopped: ${error instanceof Error ? error.message : String(error)}${reason ? ` — first failure: ${reason}` : ''}`;
    } finally {
      startButton.disabled = false;
    }
  });
}
