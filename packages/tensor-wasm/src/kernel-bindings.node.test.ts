// The typed kernel boundary: a call that does not match assembly/'s signatures must not compile, and
// the generator must refuse builds whose exports disagree. Node only: it runs the TypeScript compiler
// and reads the generator's script.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { checkModuleExports, checkSameExports, pairByDType, readOpCodes } from '../scripts/kernel-bindings.mjs';
import type { DTypeKernels } from './generated/kernel-bindings';
import { scalarWasm } from './generated/kernel-binaries';

const here = dirname(fileURLToPath(import.meta.url));

// Never called: `tsc -p tsconfig.json` (the package's typecheck) fails if any of these lines compiles,
// i.e. if the kernel table stops checking a kernel's name, argument count or argument types.
export function callsThatMustNotCompile(k: DTypeKernels): void {
  // @ts-expect-error adam takes 14 arguments (assembly/optim.ts), here 13: the last one, decay, is missing
  k.adam(0, 0, 0, 0, 1, 0.9, 0.1, 0.999, 0.001, 0.1, 1, 1e-8, 0);
  // @ts-expect-error no kernel is named adam_step
  k.adam_step(0, 0);
  // @ts-expect-error logarithm is a bool: 0 or 1
  k.softmax(0, 0, 1, 1, 2, 0, 1);
}

/**
 * The compiler's errors for each call, each written in a module of its own beside the generated
 * bindings; one program for all, without checking the standard library, keeps this to seconds.
 */
function compileErrors(calls: string[]): string[][] {
  const files = new Map(
    calls.map((call, i) => [
      join(here, `__kernel-call-${i}.ts`),
      `import type { DTypeKernels } from './generated/kernel-bindings';\nexport function f(k: DTypeKernels): void {\n  ${call}\n}\n`,
    ]),
  );
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, lib: ['lib.es2022.d.ts'], types: [],
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists(file);
  host.readFile = (file) => files.get(file) ?? readFile(file);
  host.getSourceFile = (file, language) => {
    const text = files.get(file);
    return text === undefined ? getSourceFile(file, language) : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return [...files.keys()].map((file) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  );
}

test('a kernel call that does not match its AssemblyScript signature does not compile', () => {
  const errors = compileErrors([
    'k.adam(0, 0, 0, 0, 1, 0.9, 0.1, 0.999, 0.001, 0.1, 1, 1e-8, 0, 1);',
    'k.adam(0, 0, 0, 0, 1, 0.9, 0.1, 0.999, 0.001, 0.1, 1, 1e-8, 0);',
    'k.adam_step(0, 0);',
    'k.softmax(0, 0, 1, 1, 2, 0, 1);',
  ]);
  expect(errors).toEqual([
    [],
    ['Expected 14 arguments, but got 13.'],
    [`Property 'adam_step' does not exist on type 'DTypeKernels'.`],
    [`Argument of type '2' is not assignable to parameter of type 'KernelBool'.`],
  ]);
});

const adam = (last: string) => ({
  name: 'adam_f32',
  params: [{ name: 'w', type: 'usize' }, { name: 'n', type: 'i32' }, { name: last, type: 'f32' }],
  returns: 'void',
});
const withType = (fn: ReturnType<typeof adam>, from: string, to: string) => ({
  ...fn,
  name: fn.name.replace(from, to),
  params: fn.params.map((p) => ({ ...p, type: p.type === from ? to : p.type })),
});

describe('the generator refuses exports that disagree', () => {
  test('the SIMD and the scalar builds must export the same signatures', () => {
    expect(() => checkSameExports({ simd: [adam('decay')], scalar: [adam('decay')] })).not.toThrow();
    expect(() => checkSameExports({ simd: [adam('decay')], scalar: [adam('l2')] })).toThrow(
      'only simd: adam_f32(w: usize, n: i32, decay: f32): void\n  only scalar: adam_f32(w: usize, n: i32, l2: f32): void',
    );
    expect(() => checkSameExports({ simd: [adam('decay'), { name: 'heap_base', params: [], returns: 'usize' }], scalar: [adam('decay')] })).toThrow(
      'only simd: heap_base(): usize\n  only scalar: (none)',
    );
  });

  test('a kernel exists as _f32 and _f64 with the same parameters, T for the float type', () => {
    const f32 = adam('decay');
    const { dtypeKernels, shared } = pairByDType([f32, withType(f32, 'f32', 'f64')]);
    expect(shared).toEqual([]);
    expect(dtypeKernels).toEqual([
      { name: 'adam', params: [{ name: 'w', type: 'usize' }, { name: 'n', type: 'i32' }, { name: 'decay', type: 'T' }], returns: 'void' },
    ]);
    expect(() => pairByDType([f32])).toThrow('adam_f32 has no adam_f64');
    expect(() => pairByDType([f32, { ...withType(f32, 'f32', 'f64'), params: f32.params.slice(0, 2) }])).toThrow('differ in their parameters');
  });

  test('the declarations must name exactly what the compiled module exports', () => {
    const bytes = Uint8Array.from(atob(scalarWasm), (c) => c.charCodeAt(0));
    const declared = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => ({ name: e.name, params: [], returns: 'void' }));
    expect(() => checkModuleExports('scalar', bytes, declared)).not.toThrow();
    expect(() => checkModuleExports('scalar', bytes, declared.filter((e) => e.name !== 'adam_f64'))).toThrow(/the scalar module exports \[.*adam_f64/);
  });

  test('op codes are integer constants in exported namespaces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-opcodes-'));
    writeFileSync(join(dir, 'a.ts'), '/** Codes. */\nexport namespace Op {\n  export const A = 0, B = 2;\n  export const C = -1;\n}\nnamespace Hidden { export const X = 1; }\n');
    expect(readOpCodes(dir)).toEqual([{ name: 'Op', file: 'a.ts', doc: 'Codes.', members: [['A', 0], ['B', 2], ['C', -1]] }]);
    writeFileSync(join(dir, 'b.ts'), 'export namespace Bad {\n  export const A = 1 << 2;\n}\n');
    expect(() => readOpCodes(dir)).toThrow('assembly/b.ts: namespace Bad: A is not an integer literal');
  });

  test('the generated op codes are those of assembly/', () => {
    const generated = readFileSync(join(here, 'generated', 'kernel-bindings.ts'), 'utf8');
    // From assembly/activation.ts by hand: the fused kernels' identity activation.
    expect(generated).toContain('export const Activation = {\n  RELU: 6,\n  LEAKY_RELU: 7,\n  SIGMOID: 8,\n  TANH: 9,\n  LINEAR: 12,\n} as const;');
  });
});
