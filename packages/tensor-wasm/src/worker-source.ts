// The code every pool worker runs, as a string: bundlers do not follow `new URL(worker, import.meta.url)`
// the same way (esbuild not at all), while a string is carried by all of them. src/platform/ starts it
// (worker_threads with `eval` in Node, a Blob URL in browsers) behind a two-line prologue that defines
// `onFirstMessage(fn)` and `reply(message)` for that runtime.
//
// The worker gets the compiled kernel, the shared memory and the byte offset of the control block
// (src/pool-layout.ts), instantiates the kernel on that memory, replies, and from then on never returns
// to its event loop: it waits on its own mailbox word, runs the kernel call described in shared
// memory for every part it claims first, and counts the pending parts down. It spins briefly before it sleeps, because
// the ops of a training step come microseconds apart and waking a sleeping thread costs tens of them.
import { CONTROL } from './pool-layout';

const body = `
const C = ${JSON.stringify(CONTROL)};
onFirstMessage(async (m) => {
  let exports;
  try {
    exports = (await WebAssembly.instantiate(m.module, { env: { memory: m.memory } })).exports;
  } catch (e) {
    reply({ error: String(e && e.message || e) });
    return;
  }
  const fns = m.names.map((n) => exports[n]);
  const ctl = new Int32Array(m.memory.buffer, m.control, C.INT32_WORDS);
  const args = new Float64Array(m.memory.buffer, m.control + C.ARGS_BYTE_OFFSET, C.MAX_THREADS * C.ARGS_PER_PART);
  const me = m.index;
  const mailbox = C.MAILBOX + me;
  const scratch = ctl[C.SCRATCH + me + 1] >>> 0;
  // Read before replying: the caller may hand out the first part as soon as the reply arrives.
  let seen = Atomics.load(ctl, mailbox);
  Atomics.store(ctl, C.STATE + me, C.IDLE);
  reply({ ready: true });
  for (;;) {
    let spins = 0;
    let now;
    while ((now = Atomics.load(ctl, mailbox)) === seen) {
      if (++spins > ctl[C.SPIN]) {
        Atomics.wait(ctl, mailbox, seen);
        spins = 0;
      }
    }
    seen = now;
    if (Atomics.load(ctl, C.STOP + me) !== 0) break;
    // Claim parts until none is left, starting at a different one per worker. A claim succeeds only
    // on a part still open, so a late wake-up (its job done, maybe the next one begun) takes only
    // parts of the job whose function and arguments it then reads.
    const parts = Atomics.load(ctl, C.PARTS);
    for (let k = 0; k < parts - 1; k++) {
      const part = 1 + ((me + k) % (parts - 1));
      if (Atomics.compareExchange(ctl, C.CLAIM + part, 0, 1) !== 0) continue;
      const f = Atomics.load(ctl, C.FN);
      if (f === C.FN_CRASH) exit();
      const base = part * C.ARGS_PER_PART;
      const at = Atomics.load(ctl, C.SCRATCH_AT);
      if (at >= 0) args[base + at] = scratch;
      try {
        const result = fns[f](args[base], args[base + 1], args[base + 2], args[base + 3], args[base + 4], args[base + 5], args[base + 6],
          args[base + 7], args[base + 8], args[base + 9], args[base + 10], args[base + 11], args[base + 12], args[base + 13],
          args[base + 14], args[base + 15]);
        args[base + C.RESULT] = result === undefined ? 0 : result;
      } catch (e) {
        Atomics.store(ctl, C.ERROR, part);
      }
      if (Atomics.sub(ctl, C.PENDING, 1) === 1) Atomics.notify(ctl, C.PENDING);
    }
  }
  Atomics.store(ctl, C.STATE + me, C.STOPPED);
  exit();
});
`;

/** The worker's code behind a runtime's prologue (which defines onFirstMessage, reply and exit). */
export function workerSource(prologue: string): string {
  return `'use strict';\n${prologue}\n${body}`;
}
