// The optimizer-paths tab: four nnkit optimizers race on a test surface from the same start, one
// step per animation frame, their paths drawn over the surface's contours. Click the picture to
// choose another start.
import { entryUrl } from '../module-url';
import type { RunnerState } from '../surfaces/race';
import { RUNNERS } from '../surfaces/runners';
import type { RaceMessage, RaceRequest } from '../surfaces/race-worker';
import { SURFACES, type SurfaceName } from '../surfaces/surfaces';
import type { OptimizerChoice } from '../training/config';
import { autoCanvas } from './canvas';
import { renderContours } from './contour';
import { byId, el } from './dom';

/** Steps after which a race pauses by itself. */
const MAX_STEPS = 1500;
const COLORS: Record<OptimizerChoice, string> = { gd: '#d62728', momentum: '#ff7f0e', rmsprop: '#2ca02c', adam: '#1f77b4' };
const NAMES: Record<OptimizerChoice, string> = { gd: 'Gradient descent', momentum: 'Momentum (β 0.9)', rmsprop: 'RMSprop (ρ 0.9)', adam: 'Adam (β1 0.9, β2 0.999)' };

/** Wires the optimizer-paths tab of index.html. */
export function createRacePanel(): void {
  const worker = new Worker(entryUrl('race-worker'), { type: 'module', name: 'nnkit-race' });
  const canvas = byId<HTMLCanvasElement>('race');
  const playButton = byId<HTMLButtonElement>('race-play');
  let surface: SurfaceName = 'bowl';
  let start: [number, number] = SURFACES.bowl.start;
  let rates: Record<OptimizerChoice, number> = { ...SURFACES.bowl.rates };
  let paths = new Map<OptimizerChoice, number[]>();
  let latest: RunnerState[] = [];
  let iteration = 0;
  let running = false;
  let waiting = false;
  let background: { key: string; image: HTMLCanvasElement } | null = null;

  const send = (r: RaceRequest) => worker.postMessage(r);
  const setRunning = (on: boolean) => {
    running = on;
    playButton.textContent = on ? 'Pause' : 'Play';
    if (on) requestAnimationFrame(frame);
  };
  const reset = () => {
    setRunning(false);
    paths = new Map(RUNNERS.map((o) => [o, [...start]]));
    send({ type: 'reset', surface, start, rates });
  };

  const redraw = autoCanvas(canvas, ({ ctx, width, height }) => {
    const s = SURFACES[surface];
    const key = `${surface}:${width}x${height}`;
    if (background?.key !== key) background = { key, image: renderContours(s, Math.ceil(width / 2), Math.ceil(height / 2)) };
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(background.image, 0, 0, width, height);
    const [xMin, xMax, yMin, yMax] = s.bounds;
    const px = (x: number) => ((x - xMin) / (xMax - xMin)) * width;
    const py = (y: number) => (1 - (y - yMin) / (yMax - yMin)) * height;
    if (s.minimum) {
      ctx.fillStyle = '#222';
      ctx.font = '16px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('★', px(s.minimum[0]), py(s.minimum[1]));
    }
    for (const o of RUNNERS) {
      const p = paths.get(o) ?? [];
      ctx.strokeStyle = COLORS[o];
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (let i = 0; i + 1 < p.length; i += 2) {
        if (i === 0) ctx.moveTo(px(p[i]), py(p[i + 1]));
        else ctx.lineTo(px(p[i]), py(p[i + 1]));
      }
      ctx.stroke();
      if (p.length >= 2) {
        ctx.fillStyle = COLORS[o];
        ctx.beginPath();
        ctx.arc(px(p[p.length - 2]), py(p[p.length - 1]), 4, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.fillStyle = '#111';
    ctx.beginPath();
    ctx.arc(px(start[0]), py(start[1]), 3, 0, 2 * Math.PI);
    ctx.fill();
  });

  const legend = byId('race-legend');
  const rateInputs = new Map<OptimizerChoice, HTMLInputElement>();
  const valueCells = new Map<OptimizerChoice, HTMLElement>();
  legend.replaceChildren(
    el('thead', {}, [el('tr', {}, ['optimizer', 'learning rate', 'f(x, y)'].map((h) => el('th', {}, [h])))]),
    el('tbody', {}, RUNNERS.map((o) => {
      const input = el('input', { type: 'number', min: '0', step: 'any', 'aria-label': `${NAMES[o]} learning rate` }) as HTMLInputElement;
      input.addEventListener('change', () => {
        const v = Number(input.value);
        if (v > 0 && Number.isFinite(v)) {
          rates = { ...rates, [o]: v };
          reset();
        } else input.value = String(rates[o]);
      });
      rateInputs.set(o, input);
      const value = el('td', { class: 'num' }, ['–']);
      valueCells.set(o, value);
      return el('tr', {}, [
        el('td', {}, [el('span', { class: 'swatch', style: `background:${COLORS[o]}` }), NAMES[o]]),
        el('td', {}, [input]),
        value,
      ]);
    })),
  );

  const showSurface = () => {
    const s = SURFACES[surface];
    byId('race-lesson').textContent = s.lesson;
    for (const o of RUNNERS) rateInputs.get(o)!.value = String(rates[o]);
    for (const b of document.querySelectorAll<HTMLButtonElement>('[data-surface]')) b.setAttribute('aria-selected', String(b.dataset.surface === surface));
  };

  worker.addEventListener('message', (event: MessageEvent<RaceMessage>) => {
    waiting = false;
    const m = event.data;
    if (m.type === 'error') {
      setRunning(false);
      byId('race-status').textContent = m.message;
      return;
    }
    iteration = m.iteration;
    latest = m.runners;
    if (iteration > 0) for (const r of latest) if (!r.diverged) paths.get(r.optimizer)?.push(r.x, r.y);
    for (const r of latest) valueCells.get(r.optimizer)!.textContent = r.diverged ? 'diverged' : r.f.toPrecision(4);
    byId('race-status').textContent = `step ${iteration}`;
    if (iteration >= MAX_STEPS) setRunning(false);
    redraw();
  });

  function frame(): void {
    if (!running) return;
    if (!waiting) {
      waiting = true;
      send({ type: 'step', count: 1 });
    }
    requestAnimationFrame(frame);
  }

  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-surface]')) {
    b.addEventListener('click', () => {
      surface = b.dataset.surface as SurfaceName;
      start = SURFACES[surface].start;
      rates = { ...SURFACES[surface].rates };
      showSurface();
      reset();
    });
  }
  playButton.addEventListener('click', () => setRunning(!running));
  byId('race-step').addEventListener('click', () => {
    setRunning(false);
    send({ type: 'step', count: 1 });
  });
  byId('race-reset').addEventListener('click', reset);
  canvas.addEventListener('click', (event) => {
    const [xMin, xMax, yMin, yMax] = SURFACES[surface].bounds;
    const box = canvas.getBoundingClientRect();
    start = [xMin + ((event.clientX - box.left) / box.width) * (xMax - xMin), yMax - ((event.clientY - box.top) / box.height) * (yMax - yMin)];
    reset();
  });
  showSurface();
  reset();
}
