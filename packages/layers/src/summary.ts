// model.summary(): the Keras-style table of layers, output shapes and parameter counts, as text.
import type { Sequential } from './sequential';

/**
 * One line per layer — `name (class)`, output shape with a null batch dimension, weights — and the
 * totals, trainable and not (batch-norm statistics, custom layers' non-trainable weights).
 */
export function modelSummary(model: Sequential): string {
  const rows = model.layers.map((l) => {
    const weights = l.liveWeights().reduce((n, w) => n + w.size, 0);
    return [`${l.name} (${l.className})`, `[null, ${l.outputShape.join(', ')}]`, String(weights)];
  });
  const header = ['Layer (type)', 'Output shape', 'Param #'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] + 2))).join('').trimEnd();
  const total = model.liveWeights().reduce((n, w) => n + w.size, 0);
  const trainable = model.countParams();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [
    `Model: "sequential" (input [null, ${model.inputShape!.join(', ')}], ${model.dtype})`,
    rule, line(header), rule, ...rows.map(line), rule,
    `Total params: ${total} (trainable: ${trainable}, non-trainable: ${total - trainable})`,
  ].join('\n');
}
