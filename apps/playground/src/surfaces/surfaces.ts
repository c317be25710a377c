// The 2-D test surfaces of the optimizer race, with their gradients written out by hand: an
// elongated bowl (why momentum damps the zig-zag), Rosenbrock's curved valley, a saddle point and a
// plateau (why adaptive steps help where the gradient is tiny). These few lines of scalar math are
// the only numbers not computed by nnkit; the optimizers that walk the surfaces are nnkit's own.
import type { OptimizerChoice } from '../training/config';

/** A function of two variables with its gradient and how the race is set up on it. */
export interface Surface {
  name: SurfaceName;
  label: string;
  /** What it teaches, shown under the picture. */
  lesson: string;
  f(x: number, y: number): number;
  grad(x: number, y: number): [number, number];
  /** Region drawn: [xMin, xMax, yMin, yMax]. */
  bounds: [number, number, number, number];
  start: [number, number];
  /** Where the minimum is (drawn as a star), if it is in view. */
  minimum: [number, number] | null;
  /** Learning rates that show each optimizer's character here. */
  rates: Record<OptimizerChoice, number>;
}

export type SurfaceName = 'bowl' | 'rosenbrock' | 'saddle' | 'plateau';

/** How elongated the bowl is: curvatures 0.04 and 2 along x and y, a condition number of 50. */
const BOWL_X = 1 / 50;

/** The surfaces by name, each with the start and learning rates its lesson needs. */
export const SURFACES: Record<SurfaceName, Surface> = {
  bowl: {
    name: 'bowl',
    label: 'Elongated bowl',
    lesson: 'Gradient descent zig-zags across the narrow direction at every step and crawls along the long one; momentum averages the zig-zag away and keeps the progress along the valley, and Adam also rescales each direction.',
    f: (x, y) => BOWL_X * x * x + y * y,
    grad: (x, y) => [2 * BOWL_X * x, 2 * y],
    bounds: [-10, 10, -5, 5],
    start: [-9, 3.5],
    minimum: [0, 0],
    rates: { gd: 0.9, momentum: 0.9, rmsprop: 0.1, adam: 0.3 },
  },
  rosenbrock: {
    name: 'rosenbrock',
    label: 'Rosenbrock valley',
    lesson: 'A curved valley with a nearly flat floor: plain steps are either too small on the floor or too large across it.',
    f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    bounds: [-2, 2, -1, 3],
    start: [-1.5, 2],
    minimum: [1, 1],
    rates: { gd: 0.001, momentum: 0.002, rmsprop: 0.01, adam: 0.05 },
  },
  saddle: {
    name: 'saddle',
    label: 'Saddle point',
    lesson: 'Starting almost on the ridge, the gradient across it is tiny: GD lingers near the saddle, Adam and RMSprop scale the small gradient up and leave.',
    f: (x, y) => 0.5 * x * x + 0.25 * y ** 4 - 0.5 * y * y,
    grad: (x, y) => [x, y ** 3 - y],
    bounds: [-3, 3, -2, 2],
    start: [-2.8, 0.001],
    minimum: null,
    rates: { gd: 0.1, momentum: 0.1, rmsprop: 0.05, adam: 0.05 },
  },
  plateau: {
    name: 'plateau',
    label: 'Plateau',
    lesson: 'Far from the well the surface is almost flat, so GD barely moves; RMSprop and Adam divide by the gradient’s own size and cross the plateau.',
    f: (x, y) => 1 - Math.exp(-(x * x + 2 * y * y) / 2),
    grad: (x, y) => {
      const e = Math.exp(-(x * x + 2 * y * y) / 2);
      return [x * e, 2 * y * e];
    },
    bounds: [-4, 4, -3, 3],
    start: [3.6, 2.4],
    minimum: [0, 0],
    rates: { gd: 1, momentum: 1, rmsprop: 0.05, adam: 0.1 },
  },
};
