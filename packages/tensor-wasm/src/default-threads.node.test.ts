// A host may lower init()'s default thread count through a global hint (@nnkit/tuning's trial
// workers set 1); an explicit init({ threads }) still wins. (Vitest isolates files: init() runs fresh.)
import { expect, test } from 'vitest';
import { backendInfo, init } from './index';

test("init() without threads follows globalThis[Symbol.for('nnkit.defaultThreads')], and an explicit count wins", async () => {
  const key = Symbol.for('nnkit.defaultThreads');
  (globalThis as Record<symbol, unknown>)[key] = 1;
  try {
    await init();
    expect(backendInfo().threads).toBe(1);
    expect(backendInfo().threadsReason).toBeUndefined();
    await init({ threads: 2 });
    expect(backendInfo().threads).toBe(2);
  } finally {
    delete (globalThis as Record<symbol, unknown>)[key];
    await init({ threads: 1 });
  }
});
