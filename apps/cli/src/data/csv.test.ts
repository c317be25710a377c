import { describe, expect, test } from 'vitest';
import { CliError } from '../errors';
import { parseCsv } from './csv';

describe('parseCsv', () => {
  test('reads a header and rows of numbers', () => {
    const t = parseCsv('pos_x,pos_y,team\n-0.15,0.42,1.0\n0.3,-0.2,0\n', 'f.csv');
    expect(t.columns).toEqual(['pos_x', 'pos_y', 'team']);
    expect(t.rows).toBe(2);
    expect(Array.from(t.values)).toEqual([-0.15, 0.42, 1, 0.3, -0.2, 0]);
  });

  test('without a header, names the columns col1, col2, …', () => {
    const t = parseCsv('1,2,0\r\n3,4,1\r\n\r\n', 'f.csv');
    expect(t.columns).toEqual(['col1', 'col2', 'col3']);
    expect(t.rows).toBe(2);
  });

  test('a ragged row is refused with its line and the expected column count', () => {
    expect(() => parseCsv('a,b,c\n1,2,0\n3,4\n', 'f.csv')).toThrow(new CliError('f.csv line 3: found 2 columns; expected 3 as in the header'));
  });

  test('a non-numeric cell is refused with its line, column and value', () => {
    expect(() => parseCsv('a,b,c\n1,2,0\n3,oops,1\n', 'f.csv')).toThrow(new CliError('f.csv line 3, column 2 (b): "oops" is not a number'));
    expect(() => parseCsv('a,b,c\n1,,0\n', 'f.csv')).toThrow(/line 2, column 2 \(b\): "" is not a number/);
  });

  test('an empty file or a header without rows is refused', () => {
    expect(() => parseCsv('\n\n', 'f.csv')).toThrow(/the file is empty/);
    expect(() => parseCsv('a,b\n', 'f.csv')).toThrow(/header but no rows/);
  });
});
