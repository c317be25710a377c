import { describe, expect, it } from 'vitest';
import { epsilonSquared, parameterImportance } from './importance';
import { createProgress, progressLine } from './progress';
import type { TrialRecord } from './records';
import { Study } from './study';
import { toCSV } from './report';

const t = (id: number, state: TrialRecord['state'], value: number, params: TrialRecord['params'], extra: Partial<TrialRecord> = {}): TrialRecord => ({
  id,
  params,
  value,
  state,
  durationMs: 10 * (id + 1),
  intermediate: [],
  attempt: 1,
  ...extra,
});

const trials = [
  t(0, 'complete', 0.25, { lr: 0.01, act: 'relu' }),
  t(1, 'failed', Number.NaN, { lr: 0.5, act: 'tanh' }, { error: 'Error: diverged, "badly"' }),
  t(2, 'complete', 0.125, { lr: 0.00012345, act: 'relu', units2: 64 }),
  t(3, 'pruned', 0.9, { lr: 0.2, act: 'tanh' }),
];

describe('study views', () => {
  const study = new Study('minimize', 'randomSearch', 1, trials);

  it('prints an aligned table, best first, blank for inactive parameters', () => {
    expect(study.table()).toBe(
      [
        'id  state     value  ms  lr        act   units2',
        '--  --------  -----  --  --------  ----  ------',
        ' 2  complete  0.125  30  1.234e-4  relu  64',
        ' 0  complete   0.25  10  0.01      relu',
        ' 3  pruned      0.9  40  0.2       tanh',
        ' 1  failed        —  20  0.5       tanh',
      ].join('\n'),
    );
    expect(study.table({ top: 1, sort: 'id' }).split('\n')).toHaveLength(3);
  });

  it('exports RFC 4180 CSV and JSON', () => {
    expect(study.toCSV()).toBe(
      [
        'id,state,value,durationMs,attempt,lr,act,units2,error',
        '0,complete,0.25,10,1,0.01,relu,,',
        '1,failed,NaN,20,1,0.5,tanh,,"Error: diverged, ""badly"""',
        '2,complete,0.125,30,1,0.00012345,relu,64,',
        '3,pruned,0.9,40,1,0.2,tanh,,',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(JSON.stringify(study));
    expect(json.best.id).toBe(2);
    expect(json.trials).toHaveLength(4);
    expect(json.direction).toBe('minimize');
  });

  it('names the trial a retry re-ran in a retryOf column, only when a study has retries', () => {
    const rec = (id: number, state: TrialRecord['state'], retryOf?: number) =>
      ({ id, params: { lr: 0.1 }, value: id, state, durationMs: 1, intermediate: [], attempt: 1, ...(retryOf === undefined ? {} : { retryOf }) }) as TrialRecord;
    expect(toCSV([rec(0, 'failed'), rec(1, 'complete', 0)])).toBe('id,state,value,durationMs,attempt,retryOf,lr,error\n0,failed,0,1,1,,0.1,\n1,complete,1,1,1,0,0.1,\n');
  });

  it('writes a status line with best so far, rate and ETA', () => {
    expect(progressLine(study, 10, 4, 2000)).toBe('trials 4/10 · best 0.125 (#2) · 2.00/s · ETA 3s');
    expect(progressLine(new Study('maximize', 'x', 1, []), undefined, 0, 0)).toBe('trials 0 · best — · 0.00/s');
    const out: string[] = [];
    const p = createProgress(undefined, 10, { isTTY: true, write: (s) => out.push(s) });
    p.update(study);
    p.end();
    expect(out[0].startsWith('\r\u001b[2Ktrials 4/10 · best 0.125 (#2)')).toBe(true);
    expect(out[1]).toBe('\n');
    const silent: string[] = [];
    const q = createProgress(false, 10, { isTTY: true, write: (s) => silent.push(s) });
    q.update(study);
    q.end();
    expect(silent).toEqual([]);
    // Not a TTY: quiet by default, one plain line per trial when forced.
    const log: string[] = [];
    createProgress(undefined, 10, { isTTY: false, write: (s) => log.push(s) }).update(study);
    expect(log).toEqual([]);
    const forced = createProgress(true, 10, { isTTY: false, write: (s) => log.push(s) });
    forced.update(study);
    forced.end();
    expect(log).toHaveLength(1);
    expect(log[0].startsWith('trials 4/10 · best 0.125 (#2) · ')).toBe(true);
    expect(log[0].endsWith('\n')).toBe(true);
  });
});

describe('parameter importance', () => {
  it('computes Kelley\'s ε² by hand', () => {
    // Means 1.5 and 5.5 around 3.5: SSB = 16, SSW = 1, MSW = 1/(4 − 2); ε² = (16 − 0.5)/(17 + 0.5).
    expect(epsilonSquared([1, 2, 5, 6], ['a', 'a', 'b', 'b'])).toBeCloseTo(15.5 / 17.5, 12);
    expect(epsilonSquared([1, 2, 3], ['a', 'a', 'a'])).toBe(0);
    expect(epsilonSquared([1, 1, 1, 1], ['a', 'b', 'a', 'b'])).toBe(0);
  });

  it('ranks the parameter that drives the objective first', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      t(i, 'complete', (i / 30) ** 2, { a: i / 30, b: ((i * 7) % 30) / 30, c: ['x', 'y'][i % 2] }),
    );
    const imp = parameterImportance(many);
    expect(imp[0].param).toBe('a');
    expect(imp[0].score).toBeGreaterThan(0.9);
    expect(imp[1].score).toBeLessThan(0.2);
    expect(imp.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 12);
    expect(new Study('minimize', 'x', 1, many).importance()[0].param).toBe('a');
  });
});
