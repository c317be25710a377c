// The bias/variance diagnosis of the course's basic recipe: train and dev error against the
// Bayes (or human-level) error the user sets, the verdict, and what to try next.
import { diagnose } from '@nnkit/metrics';
import { el } from './dom';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/**
 * Renders the diagnosis of `trainAccuracy` / `devAccuracy` into `target`.
 *
 * @param target - the container (replaced content)
 * @param trainAccuracy - in [0, 1]
 * @param devAccuracy - in [0, 1]
 * @param bayesError - the optimal error, in [0, 1]
 */
export function renderDiagnosis(target: HTMLElement, trainAccuracy: number, devAccuracy: number, bayesError: number): void {
  const d = diagnose({ trainError: 1 - trainAccuracy, devError: 1 - devAccuracy, bayesError });
  const verdictClass = d.verdict === 'good' ? 'verdict good' : 'verdict warn';
  target.replaceChildren(
    el('p', {}, [
      el('span', { class: verdictClass, id: 'verdict' }, [d.verdict]),
    ]),
    el('dl', { class: 'gaps' }, [
      el('dt', {}, ['Bayes error']), el('dd', {}, [pct(bayesError)]),
      el('dt', {}, ['Train error']), el('dd', {}, [pct(1 - trainAccuracy)]),
      el('dt', {}, ['Dev error']), el('dd', {}, [pct(1 - devAccuracy)]),
      el('dt', {}, ['Avoidable bias']), el('dd', {}, [pct(d.avoidableBias)]),
      el('dt', {}, ['Variance']), el('dd', {}, [pct(d.variance)]),
    ]),
    d.advice.length > 0 ? el('ul', { class: 'advice' }, d.advice.map((a) => el('li', {}, [a]))) : el('p', { class: 'muted' }, ['Nothing to fix: train and dev error are close to the Bayes error.']),
  );
}
