// A strict reader for numeric CSV files: features in every column but the last, an integer class in
// the last. Errors name the file, the line and the column, so a bad cell can be found at once.
import { readFile } from 'node:fs/promises';
import { CliError } from '../errors';

/** A parsed numeric table. */
export interface CsvTable {
  /** Column names (from the header, or col1, col2, …). */
  columns: string[];
  /** Row-major values, rows × columns. */
  values: Float64Array;
  rows: number;
}

const isNumber = (cell: string) => cell.trim() !== '' && Number.isFinite(Number(cell));

/**
 * Parses CSV text of numbers; the first line is a header when any of its cells is not a number.
 *
 * @param text - the file's contents
 * @param source - the name used in error messages
 * @returns the columns and values
 * @example
 * parseCsv('x,y,label\n0.1,0.2,1\n', 'points.csv');
 */
export function parseCsv(text: string, source: string): CsvTable {
  const lines = text.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && lines[first].trim() === '') first++;
  if (first === lines.length) throw new CliError(`${source}: the file is empty; expected rows of numbers with the class in the last column`);
  const head = lines[first].split(',');
  const hasHeader = head.some((c) => !isNumber(c));
  const columns = hasHeader ? head.map((c) => c.trim()) : head.map((_, i) => `col${i + 1}`);
  if (columns.length < 2) throw new CliError(`${source} line ${first + 1}: found ${columns.length} column; expected at least 2 (features, then the class)`);
  const values: number[] = [];
  let rows = 0;
  for (let i = hasHeader ? first + 1 : first; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = lines[i].split(',');
    if (cells.length !== columns.length) {
      throw new CliError(`${source} line ${i + 1}: found ${cells.length} columns; expected ${columns.length}${hasHeader ? ' as in the header' : ' as in line 1'}`);
    }
    cells.forEach((cell, j) => {
      if (!isNumber(cell)) {
        throw new CliError(`${source} line ${i + 1}, column ${j + 1} (${columns[j]}): ${JSON.stringify(cell.trim())} is not a number`);
      }
      values.push(Number(cell));
    });
    rows++;
  }
  if (rows === 0) throw new CliError(`${source}: the file has a header but no rows`);
  return { columns, values: Float64Array.from(values), rows };
}

/**
 * Reads and parses a CSV file.
 * @param path - the file
 * @returns the parsed table
 */
export async function readCsv(path: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read the CSV file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseCsv(text, path);
}
