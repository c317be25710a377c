// The result of a gradient check, read as the course reads it: ≈1e-7 correct, 1e-5 suspicious,
// 1e-3 wrong, with the parameters where back-propagation and the numerical estimate differ most.
import type { GradCheckMessage } from '../training/protocol';
import { el } from './dom';

/** The course's reading of a relative difference. */
export function gradCheckReading(relativeDifference: number): 'correct' | 'suspicious' | 'wrong' {
  if (relativeDifference < 1e-6) return 'correct';
  if (relativeDifference < 1e-4) return 'suspicious';
  return 'wrong';
}

/**
 * Renders a gradient-check result into `target`.
 *
 * @param target - the container (replaced content)
 * @param result - the worker's answer
 */
export function renderGradCheck(target: HTMLElement, result: GradCheckMessage): void {
  const reading = gradCheckReading(result.relativeDifference);
  target.replaceChildren(
    el('p', {}, [
      'Relative difference ‖g − g′‖ / (‖g‖ + ‖g′‖) = ',
      el('strong', { id: 'grad-check-value' }, [result.relativeDifference.toExponential(2)]),
      ' — ',
      el('span', { class: reading === 'correct' ? 'verdict good' : 'verdict warn' }, [reading]),
    ]),
    el('p', { class: 'muted' }, [`${result.checked} of ${result.total} parameters checked, in float64, L2 term included.`]),
    el('table', { class: 'worst' }, [
      el('thead', {}, [el('tr', {}, ['parameter', 'index', 'back-prop', 'numerical'].map((h) => el('th', {}, [h])))]),
      el('tbody', {}, result.worst.slice(0, 3).map((w) => el('tr', {}, [
        el('td', {}, [w.name]), el('td', {}, [String(w.index)]),
        el('td', {}, [w.analytic.toPrecision(5)]), el('td', {}, [w.numeric.toPrecision(5)]),
      ]))),
    ]),
    ...result.notes.map((n) => el('p', { class: 'muted' }, [n])),
  );
}
