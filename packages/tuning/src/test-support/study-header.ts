// The study header event the storage tests write first: one uniform parameter x, minimized.
import type { StudyEvent } from '../storage';

export const STUDY_HEADER: Extract<StudyEvent, { type: 'study' }> = {
  type: 'study',
  version: 1,
  fingerprint: '00000000',
  space: { x: { kind: 'uniform', low: 0, high: 1 } },
  direction: 'minimize',
  sampler: 'randomSearch',
  seed: 1,
  time: 0,
};
