// The README's table of error codes and the NnkitErrorCode union are one list: the same codes.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

test("the README's table lists exactly the codes of NnkitErrorCode", () => {
  const source = read('./errors.ts');
  const start = source.indexOf('export type NnkitErrorCode');
  const union = source.slice(start, source.indexOf("';\n", start) + 1);
  const fromUnion = [...union.matchAll(/\| '([A-Z_]+)'/g)].map((m) => m[1]);
  const fromReadme = [...read('../README.md').matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
  expect(fromUnion.length).toBeGreaterThan(40);
  expect(fromReadme).toEqual(fromUnion);
});
