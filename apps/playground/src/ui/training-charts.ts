// The training curves: losses (each mini-batch as trained, with dropout on; its EWMA; the whole
// training set with dropout off; and the dev loss), the learning rate the
// optimizer used, and each layer's gradient norm on a log scale, where vanishing and exploding
// gradients show as lines drifting apart by decades.
import type { ProgressMessage } from '../training/protocol';
import { lineChart } from './line-chart';
import { Series } from './series';

const LAYER_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

/** The charts of the training tab and the series behind them. */
export class TrainingCharts {
  readonly batchLoss = new Series();
  readonly smoothedLoss = new Series();
  readonly trainLoss = new Series();
  readonly devLoss = new Series();
  readonly learningRate = new Series();
  #layerNorms = new Map<string, Series>();
  #redraw: (() => void)[];
  #lossCanvas: HTMLCanvasElement;

  constructor(loss: HTMLCanvasElement, rate: HTMLCanvasElement, norms: HTMLCanvasElement) {
    this.#lossCanvas = loss;
    this.#redraw = [
      lineChart(loss, () => [
        { label: 'mini-batch (dropout on)', series: this.batchLoss, color: 'rgba(31, 119, 180, 0.35)', width: 1 },
        { label: 'EWMA β=0.95', series: this.smoothedLoss, color: '#1f77b4', width: 2 },
        { label: 'train (dropout off)', series: this.trainLoss, color: '#2ca02c', width: 1.5, dashed: true },
        { label: 'dev', series: this.devLoss, color: '#d62728', width: 2 },
      ], { xLabel: 'iteration' }),
      lineChart(rate, () => [{ label: 'α used by each update', series: this.learningRate, color: '#9467bd', width: 2 }], { xLabel: 'iteration' }),
      lineChart(norms, () => [...this.#layerNorms].map(([layer, series], i) => ({
        label: layer, series, color: LAYER_COLORS[i % LAYER_COLORS.length], width: 1.5,
      })), { logY: true, xLabel: 'iteration' }),
    ];
  }

  /** Forgets every point (a new run), keeping the layers' order for the legend. */
  reset(layers: string[]): void {
    for (const s of [this.batchLoss, this.smoothedLoss, this.trainLoss, this.devLoss, this.learningRate]) s.clear();
    this.#layerNorms = new Map(layers.map((l) => [l, new Series()]));
    this.#sync();
  }

  /** Appends what a progress message carries. */
  add(message: ProgressMessage): void {
    this.batchLoss.pushAll(message.iterations, message.losses);
    this.smoothedLoss.pushAll(message.iterations, message.smoothed);
    this.learningRate.pushAll(message.iterations, message.learningRates);
    const last = message.iterations.length > 0 ? message.iterations[message.iterations.length - 1] : Number.NaN;
    if (!Number.isNaN(last)) {
      for (const { layer, norm } of message.gradientNorms) this.#layerNorms.get(layer)?.push(last, norm);
    }
    if (message.evaluation) {
      this.trainLoss.push(message.evaluation.iteration, message.evaluation.trainLoss);
      this.devLoss.push(message.evaluation.iteration, message.evaluation.devLoss);
    }
    this.#sync();
  }

  #sync(): void {
    // Tests and assistive tools read the number of plotted points from the loss chart.
    this.#lossCanvas.dataset.points = String(this.batchLoss.length);
    for (const redraw of this.#redraw) redraw();
  }
}
