// Writes src/generated/kernel-bindings.ts, the typed boundary between TypeScript and the kernel:
// every export's parameter names and types, read from the declarations the AssemblyScript compiler
// emits with `--bindings` (so re-exports and every export of assembly/index.ts are covered), and the
// op codes, read from the `export namespace Name { export const A = 0, … }` groups of assembly/*.ts.
// Fails when the SIMD and the scalar builds do not export the same functions with the same
// signatures, or when a kernel's f32 and f64 forms differ in more than their float type.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** Types a kernel parameter or result may have, and their TypeScript form across the boundary. */
const NUMBER_TYPES = new Set(['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'isize', 'usize', 'f32', 'f64']);

function fail(message) {
  throw new Error(`kernel bindings: ${message}`);
}

/** The AssemblyScript type in a JSDoc tag's comment, written `usize` in backticks by the compiler. */
function asType(tag, where) {
  const text = typeof tag.comment === 'string' ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? '';
  const match = /`([^`]+)`/.exec(text);
  if (!match) fail(`${where}: no AssemblyScript type in "@${tag.tagName.text} ${text}"`);
  return match[1];
}

/**
 * The exported functions declared in the compiler's `.d.ts` (namespace __AdaptedExports), as
 * `{ name, params: [{ name, type }], returns }` with AssemblyScript types, in declaration order.
 */
export function readExports(dtsPath) {
  const source = ts.createSourceFile(dtsPath, readFileSync(dtsPath, 'utf8'), ts.ScriptTarget.ES2022, true);
  const namespace = source.statements.find((s) => ts.isModuleDeclaration(s) && s.name.text === '__AdaptedExports');
  if (!namespace?.body || !ts.isModuleBlock(namespace.body)) fail(`${dtsPath} has no namespace __AdaptedExports`);
  const functions = [];
  for (const statement of namespace.body.statements) {
    if (!ts.isFunctionDeclaration(statement) || !statement.name) {
      fail(`${dtsPath}: export ${statement.getText(source).split('\n')[0]} is not a function (only functions cross the boundary)`);
    }
    const name = statement.name.text;
    const tags = ts.getJSDocTags(statement);
    const params = statement.parameters.map((p) => {
      const tag = tags.find((t) => ts.isJSDocParameterTag(t) && t.name.getText(source) === p.name.getText(source));
      if (!tag) fail(`${dtsPath}: ${name}(): parameter ${p.name.getText(source)} has no @param type`);
      return { name: p.name.getText(source), type: asType(tag, name) };
    });
    const returnsTag = tags.find((t) => t.tagName.text === 'returns');
    functions.push({ name, params, returns: returnsTag ? asType(returnsTag, name) : 'void' });
  }
  if (functions.length === 0) fail(`${dtsPath} declares no exported function`);
  return functions;
}

function signatureText(fn) {
  return `${fn.name}(${fn.params.map((p) => `${p.name}: ${p.type}`).join(', ')}): ${fn.returns}`;
}

/** Throws unless both builds export the same functions with the same signatures, in the same order. */
export function checkSameExports(builds) {
  const [[firstName, first], ...rest] = Object.entries(builds);
  for (const [name, fns] of rest) {
    const a = first.map(signatureText);
    const b = fns.map(signatureText);
    const onlyA = a.filter((s) => !b.includes(s));
    const onlyB = b.filter((s) => !a.includes(s));
    if (onlyA.length > 0 || onlyB.length > 0 || a.join() !== b.join()) {
      fail(
        `the ${firstName} and the ${name} builds export different kernels:\n` +
          `  only ${firstName}: ${onlyA.join('; ') || '(none)'}\n  only ${name}: ${onlyB.join('; ') || '(none)'}` +
          (onlyA.length === 0 && onlyB.length === 0 ? '\n  (the same functions in another order)' : ''),
      );
    }
  }
}

/** Throws unless the compiled module exports exactly the functions the declarations name. */
export function checkModuleExports(label, wasmBytes, fns) {
  const inModule = WebAssembly.Module.exports(new WebAssembly.Module(wasmBytes)).map((e) => e.name).sort();
  const declared = fns.map((f) => f.name).sort();
  if (inModule.join() !== declared.join()) {
    fail(`the ${label} module exports [${inModule.join(', ')}] but its declarations name [${declared.join(', ')}]`);
  }
}

/**
 * Splits the exports into kernels that exist as name_f32 and name_f64 (one signature, T standing for
 * the float type where the two differ) and the exports without a dtype.
 */
export function pairByDType(fns) {
  const byName = new Map(fns.map((f) => [f.name, f]));
  const dtypeKernels = [];
  const shared = [];
  for (const fn of fns) {
    const base = fn.name.replace(/_f(32|64)$/, '');
    if (base === fn.name) {
      shared.push(fn);
      continue;
    }
    if (fn.name.endsWith('_f64')) {
      if (!byName.has(`${base}_f32`)) fail(`${fn.name} has no ${base}_f32`);
      continue;
    }
    const f64 = byName.get(`${base}_f64`);
    if (!f64) fail(`${fn.name} has no ${base}_f64`);
    const sameShape = fn.params.length === f64.params.length && fn.params.every((p, i) => p.name === f64.params[i].name);
    if (!sameShape) fail(`${signatureText(fn)} and ${signatureText(f64)} differ in their parameters`);
    const unify = (a, b, where) => {
      if (a === b) return a;
      if (a === 'f32' && b === 'f64') return 'T';
      return fail(`${base}: ${where} is ${a} in the f32 kernel and ${b} in the f64 kernel`);
    };
    dtypeKernels.push({
      name: base,
      params: fn.params.map((p, i) => ({ name: p.name, type: unify(p.type, f64.params[i].type, p.name) })),
      returns: unify(fn.returns, f64.returns, 'the result'),
    });
  }
  return { dtypeKernels, shared };
}

function tsType(asType, where) {
  if (asType === 'bool') return 'KernelBool';
  if (asType === 'void') return 'void';
  if (asType === 'T' || NUMBER_TYPES.has(asType)) return 'number';
  return fail(`${where}: type ${asType} cannot cross the boundary as a number`);
}

function declaration(fn) {
  const params = fn.params.map((p) => `${p.name}: ${tsType(p.type, `${fn.name}(${p.name})`)}`).join(', ');
  return `  ${fn.name}(${params}): ${tsType(fn.returns, fn.name)};`;
}

/** The value of an integer literal (or its negation), or undefined. */
function integerValue(node) {
  if (node && ts.isNumericLiteral(node) && /^\d+$/.test(node.text)) return Number(node.text);
  if (node && ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
    const v = integerValue(node.operand);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

/** The `export namespace Name { export const A = 0, … }` groups of every assembly/*.ts file. */
export function readOpCodes(assemblyDir) {
  const groups = [];
  for (const file of readdirSync(assemblyDir).filter((f) => f.endsWith('.ts')).sort()) {
    const path = join(assemblyDir, file);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      const exported = ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported || !ts.isModuleDeclaration(statement) || !statement.body || !ts.isModuleBlock(statement.body)) continue;
      const name = statement.name.text;
      const where = `assembly/${file}: namespace ${name}`;
      const members = [];
      for (const member of statement.body.statements) {
        const isConst = ts.isVariableStatement(member) && (member.declarationList.flags & ts.NodeFlags.Const) !== 0;
        if (!isConst) fail(`${where} may hold only \`export const NAME = <integer>\` declarations`);
        for (const d of member.declarationList.declarations) {
          const value = integerValue(d.initializer);
          if (value === undefined) fail(`${where}: ${d.name.getText(source)} is not an integer literal`);
          members.push([d.name.getText(source), value]);
        }
      }
      const doc = ts.getJSDocCommentsAndTags(statement).map((j) => ts.getTextOfJSDocComment(j.comment) ?? '').join(' ').trim();
      if (groups.some((g) => g.name === name)) fail(`${where} is declared twice`);
      groups.push({ name, file, doc, members });
    }
  }
  return groups;
}

/** The text of src/generated/kernel-bindings.ts. */
export function bindingsSource({ dtypeKernels, shared }, opCodes) {
  const asSignature = (fn) => `${fn.name}(${fn.params.map((p) => `${p.name}: ${p.type}`).join(', ')}): ${fn.returns}`;
  const table = (suffix) => dtypeKernels.map((k) => `      ${k.name}: exports.${k.name}_${suffix},`).join('\n');
  const lines = [
    '// Generated by scripts/build-wasm.mjs (scripts/kernel-bindings.mjs) from the compiler\'s declarations',
    '// of assembly/index.ts and the op-code namespaces of assembly/*.ts; do not edit.',
    '',
    '/** A `bool` of the kernel: 0 or 1. */',
    'export type KernelBool = 0 | 1;',
    '',
    '/**',
    ' * The kernels that exist for both dtypes (the exports `name_f32` and `name_f64`), under their name',
    ' * without the suffix. Pointers (`usize`) are byte offsets into the kernel\'s memory; `T` is f32 or f64.',
    ' */',
    'export interface DTypeKernels {',
    ...dtypeKernels.flatMap((k) => [`  /** \`${asSignature(k)}\` */`, declaration(k)]),
    '}',
    '',
    '/** The exports without a dtype. */',
    'export interface SharedKernels {',
    ...shared.flatMap((k) => [`  /** \`${asSignature(k)}\` */`, declaration(k)]),
    '}',
    '',
    '/** Every export of the kernel (both builds export the same): {@link SharedKernels}, and each of {@link DTypeKernels} as name_f32 and name_f64. */',
    'export type KernelExports = SharedKernels & {',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template literal type in the generated TypeScript
    '  readonly [K in keyof DTypeKernels as `${K}_f32` | `${K}_f64`]: DTypeKernels[K];',
    '};',
    '',
    '/** The name of every export, to check that a module given to init() is this kernel. */',
    `export const KERNEL_EXPORT_NAMES: readonly (keyof KernelExports)[] = [`,
    ...shared.map((k) => `  '${k.name}',`),
    ...dtypeKernels.flatMap((k) => [`  '${k.name}_f32',`, `  '${k.name}_f64',`]),
    '];',
    '',
    '/** The float32 and the float64 kernel tables of an instance\'s exports. */',
    'export function kernelTables(exports: KernelExports): { float32: DTypeKernels; float64: DTypeKernels } {',
    '  return {',
    '    float32: {',
    table('f32'),
    '    },',
    '    float64: {',
    table('f64'),
    '    },',
    '  };',
    '}',
  ];
  for (const group of opCodes) {
    lines.push('', `/** ${group.doc ? `${group.doc} ` : ''}(assembly/${group.file}, namespace ${group.name}) */`);
    lines.push(`export const ${group.name} = {`, ...group.members.map(([n, v]) => `  ${n}: ${v},`), '} as const;');
  }
  return `${lines.join('\n')}\n`;
}
