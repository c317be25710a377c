// The MNIST tab's picture: the first dev digits with the model's prediction under each, green when
// right and red when wrong (the true digit is the picture).
import { autoCanvas } from './canvas';

const SIDE = 28;

export interface DigitsState {
  pixels: Float32Array | null;
  labels: Int32Array | null;
  predictions: Int32Array | null;
}

/**
 * Draws the digits on `canvas` in as many columns as fit.
 *
 * @param canvas - the element
 * @param state - read at every redraw
 * @returns redraw
 */
export function digitsView(canvas: HTMLCanvasElement, state: () => DigitsState): () => void {
  const tile = document.createElement('canvas');
  tile.width = SIDE;
  tile.height = SIDE;
  return autoCanvas(canvas, ({ ctx, width, height }) => {
    const { pixels, labels, predictions } = state();
    ctx.fillStyle = '#f7f8fa';
    ctx.fillRect(0, 0, width, height);
    if (!pixels || !labels) return;
    const count = labels.length;
    const columns = 8;
    const cell = Math.floor(Math.min(width / columns, height / Math.ceil(count / columns)));
    const size = cell - 14;
    const tctx = tile.getContext('2d')!;
    const image = tctx.createImageData(SIDE, SIDE);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let d = 0; d < count; d++) {
      for (let p = 0; p < SIDE * SIDE; p++) {
        const v = 255 - Math.round(255 * pixels[d * SIDE * SIDE + p]);
        image.data.set([v, v, v, 255], p * 4);
      }
      tctx.putImageData(image, 0, 0);
      const x = (d % columns) * cell + 7;
      const y = Math.floor(d / columns) * cell + 2;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(tile, x, y, size, size);
      if (predictions) {
        const right = predictions[d] === labels[d];
        ctx.fillStyle = right ? '#1a7f37' : '#cf222e';
        ctx.fillText(String(predictions[d]), x + size / 2, y + size + 1);
      }
    }
  });
}
