import { describe, expect, it } from 'vitest';
import { choice, intUniform, logUniform, uniform } from './distributions';
import { createSearchRng } from './rng';
import { narrowSpace, sampleSpace, spaceFingerprint, validateSpace, when } from './space';

describe('spaces', () => {
  const space = {
    layers: intUniform(1, 3),
    units1: intUniform(8, 64),
    units2: when((p) => Number(p.layers) >= 2, intUniform(8, 64)),
    units3: when((p) => Number(p.layers) >= 3, intUniform(8, 64)),
    optimizer: 'adam',
  };

  it('samples conditional keys only when their condition holds, and keeps fixed values', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const p = sampleSpace(space, createSearchRng(1, i));
      const layers = p.layers as number;
      seen.add(layers);
      expect(p.optimizer).toBe('adam');
      expect('units2' in p).toBe(layers >= 2);
      expect('units3' in p).toBe(layers >= 3);
    }
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('refuses empty spaces and entries that are not distributions or values', () => {
    expect(() => validateSpace({})).toThrowError(expect.objectContaining({ code: 'EMPTY_SPACE' }));
    expect(() => validateSpace({ hidden: [64, 128] as unknown as number })).toThrowError(
      'space entry hidden is an array; expected a distribution (uniform, logUniform, …, choice), when(...), or a fixed number/string/boolean/null (a list of options is choice([...]))',
    );
    expect(() => validateSpace({ x: Number.NaN })).toThrowError(expect.objectContaining({ code: 'INVALID_SPACE' }));
    expect(() => when('yes' as unknown as () => boolean, 1)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('fingerprints by content: equal spaces agree, any change differs', () => {
    const a = spaceFingerprint({ lr: logUniform(1e-4, 1), act: choice(['relu', 'tanh']) });
    expect(spaceFingerprint({ lr: logUniform(1e-4, 1), act: choice(['relu', 'tanh']) })).toBe(a);
    expect(spaceFingerprint({ lr: logUniform(1e-4, 0.1), act: choice(['relu', 'tanh']) })).not.toBe(a);
    expect(spaceFingerprint({ lr: uniform(1e-4, 1), act: choice(['relu', 'tanh']) })).not.toBe(a);
    expect(spaceFingerprint({ act: choice(['relu', 'tanh']), lr: logUniform(1e-4, 1) })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}$/);
  });

  it('narrows numeric entries, conditional ones included', () => {
    const narrowed = narrowSpace(space, { units1: [16, 32], units3: [10, 12] });
    for (let i = 0; i < 100; i++) {
      const p = sampleSpace(narrowed, createSearchRng(2, i));
      expect(p.units1).toBeGreaterThanOrEqual(16);
      expect(p.units1).toBeLessThanOrEqual(32);
      if ('units3' in p) expect([10, 11, 12]).toContain(p.units3);
    }
  });
});
