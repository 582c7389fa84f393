// Line-level tolerance for text files: one bad line costs one row, never the file. Before DuckDB reads a CSV,
// TSV or JSON-lines file, each record is checked here (valid UTF-8, the header's number of fields, valid JSON
// holding an object) and the good ones are copied, each with its data row number, to a clean file that DuckDB
// can always read. The bad ones become line rejections with a plain reason ("line 4: not valid UTF-8 at
// byte 17"). The copy is cached by the file's path, size and modification time, like the sorted copy.

import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { HELPER_PREFIX } from './keyset';
import { SourceError, type LineRejection } from './types';

/** The column (CSV) or member (JSON lines) of the clean copy that holds a row's data row number in the file. */
export const ROW_NUMBER_COLUMN = `${HELPER_PREFIX}source_order`;

export interface CheckedFile {
  /** The clean copy, for DuckDB. */
  path: string;
  /** CSV only: the delimiter, found in the header. */
  delimiter?: string;
  rejections: LineRejection[];
}

/** Bump when the clean copy's layout or the checks change, so old copies are not read. */
const LAYOUT = 2;
/** DuckDB refuses longer lines by default (max_line_size): such a record is rejected here. */
const MAX_RECORD_BYTES = 2_000_000;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const RETURN = 0x0d;

/** The index of the first byte that is not valid UTF-8, or -1. */
export function invalidUtf8At(bytes: Uint8Array): number {
  for (let index = 0; index < bytes.length;) {
    const byte = bytes[index] ?? 0;
    const length =
      byte < 0x80
        ? 1
        : byte >= 0xc2 && byte <= 0xdf
          ? 2
          : byte >= 0xe0 && byte <= 0xef
            ? 3
            : byte >= 0xf0 && byte <= 0xf4
              ? 4
              : 0;
    if (length === 0 || index + length > bytes.length) return index;
    for (let next = 1; next < length; next++) if (((bytes[index + next] ?? 0) & 0xc0) !== 0x80) return index;
    const second = bytes[index + 1] ?? 0;
    // Overlong forms and surrogates are not UTF-8 either.
    if (
      (byte === 0xe0 && second < 0xa0) ||
      (byte === 0xed && second > 0x9f) ||
      (byte === 0xf0 && second < 0x90) ||
      (byte === 0xf4 && second > 0x8f)
    )
      return index;
    index += length;
  }
  return -1;
}

/** Reads a file as records: lines, except that a CSV field in quotes may hold line breaks. A quote opens a
 * field only at its start (as DuckDB reads it), so a stray quote inside a field cannot swallow the lines after. */
async function* records(
  path: string,
  csvDelimiter: number | undefined,
): AsyncGenerator<{ bytes: Buffer; line: number; unclosedQuote: boolean }> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  let startLine = 1;
  let inQuotes = false;
  let justClosed = false;
  let fieldStart = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      if (csvDelimiter !== undefined) {
        if (inQuotes) {
          if (byte === QUOTE) {
            inQuotes = false;
            justClosed = true;
          }
        } else {
          // `""` inside a quoted field is one quote: the field goes on.
          if (byte === QUOTE && (fieldStart || justClosed)) inQuotes = true;
          justClosed = false;
          fieldStart = byte === csvDelimiter || byte === NEWLINE;
        }
      }
      if (byte !== NEWLINE) continue;
      line += 1;
      if (inQuotes) continue;
      const piece = chunk.subarray(start, index);
      yield {
        bytes: pending.length === 0 ? piece : Buffer.concat([...pending, piece]),
        line: startLine,
        unclosedQuote: false,
      };
      pending = [];
      pendingBytes = 0;
      start = index + 1;
      startLine = line;
    }
    pending.push(chunk.subarray(start));
    pendingBytes += chunk.length - start;
    if (pendingBytes > MAX_RECORD_BYTES * 2 && inQuotes) {
      // A quote that is never closed would swallow the rest of the file: stop at the record it opened.
      yield { bytes: Buffer.alloc(0), line: startLine, unclosedQuote: true };
      return;
    }
  }
  const rest = Buffer.concat(pending);
  if (rest.length > 0) yield { bytes: rest, line: startLine, unclosedQuote: inQuotes };
}

/** The first line of a file, for finding its delimiter before reading it. */
async function firstLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    return text.split('\n')[0] ?? '';
  } finally {
    await handle.close();
  }
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== RETURN) return false;
  return true;
}

function withoutReturn(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === RETURN ? bytes.subarray(0, -1) : bytes;
}

/** Counts a CSV record's fields; answers a reason instead when DuckDB could not read it as written. */
function csvFields(text: string, delimiter: string): number | string {
  let fields = 1;
  let fieldStart = true;
  let inQuotes = false;
  let afterQuote = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inQuotes) {
      if (char === '"') {
        inQuotes = false;
        afterQuote = true;
      }
      continue;
    }
    if (afterQuote) {
      afterQuote = false;
      if (char === '"') {
        inQuotes = true;
        continue;
      }
      if (char !== delimiter) return 'text after the closing quote of a field';
    }
    if (char === delimiter) {
      fields += 1;
      fieldStart = true;
      continue;
    }
    if (char === '"') {
      if (!fieldStart) return 'a quote inside a field that does not start with one';
      inQuotes = true;
    }
    fieldStart = false;
  }
  return inQuotes ? 'a quoted field is never closed' : fields;
}

/** A CSV header's column names, unquoted (the header was checked readable by csvFields). */
function headerNames(header: string, delimiter: string): string[] {
  const names: string[] = [];
  let name = '';
  let inQuotes = false;
  for (let index = 0; index < header.length; index++) {
    const char = header[index];
    if (char === '"') {
      if (inQuotes && header[index + 1] === '"') {
        name += '"';
        index += 1;
      } else inQuotes = !inQuotes;
    } else if (char === delimiter && !inQuotes) {
      names.push(name);
      name = '';
    } else name += char;
  }
  names.push(name);
  return names;
}

/** A header that names a column twice: DuckDB would read the second as `name_1`, a column no one wrote.
 * Names compare as DuckDB compares them, without regard to case. */
function repeatedColumn(names: string[]): string | undefined {
  const seen = new Map<string, number[]>();
  names.forEach((name, index) => seen.set(name.toLowerCase(), [...(seen.get(name.toLowerCase()) ?? []), index + 1]));
  for (const positions of seen.values()) {
    if (positions.length < 2) continue;
    const written = positions.map((position) => `"${names[position - 1]}"`);
    return `names the column ${[...new Set(written)].join(' and ')} ${positions.length} times (columns ${positions.join(', ')}): give each column a name of its own`;
  }
  return undefined;
}

/** The delimiter a header uses: the most frequent of comma, semicolon, tab and bar outside quotes. */
function sniffDelimiter(header: string, fallback: string): string {
  const counts = new Map<string, number>();
  let inQuotes = false;
  for (const char of header) {
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && [',', ';', '\t', '|'].includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : fallback;
}

function notUtf8(line: number, bytes: Buffer): string | undefined {
  if (isUtf8(bytes)) return undefined;
  const at = invalidUtf8At(bytes);
  return at < 0 ? undefined : `line ${line}: not valid UTF-8 at byte ${at + 1}`;
}

/** Checks a CSV/TSV (`csv`) or JSON-lines (`jsonl`) file and writes its clean copy into `folder`. */
export async function checkedCopy(
  file: string,
  kind: 'csv' | 'jsonl',
  folder: string,
  defaultDelimiter = ',',
): Promise<CheckedFile> {
  const stat = statSync(file);
  const id = createHash('sha256')
    .update(JSON.stringify([resolve(file), stat.size, stat.mtimeMs, kind, LAYOUT]))
    .digest('hex')
    .slice(0, 32);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${id}.clean.${kind}`);
  const metaPath = `${path}.json`;
  if (existsSync(path) && existsSync(metaPath))
    return { path, ...(JSON.parse(readFileSync(metaPath, 'utf8')) as Omit<CheckedFile, 'path'>) };

  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  // Lines are written in batches: one write per line would cost more than the checks.
  let batch: string[] = [];
  let batchLength = 0;
  const out = {
    write: async (text: string) => {
      batch.push(text);
      batchLength += text.length;
      if (batchLength >= 1 << 20) await out.flush();
    },
    flush: async () => {
      if (batch.length > 0) await handle.write(batch.join(''));
      batch = [];
      batchLength = 0;
    },
  };
  const rejections: LineRejection[] = [];
  const delimiter = kind === 'csv' ? sniffDelimiter(await firstLine(file), defaultDelimiter) : undefined;
  let headerFields = 0;
  let rowNumber = 0;
  let sawHeader = kind === 'jsonl';
  try {
    for await (const record of records(file, delimiter?.charCodeAt(0))) {
      let bytes = withoutReturn(record.bytes);
      if (!sawHeader && record.line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
        bytes = bytes.subarray(3);
      if (!record.unclosedQuote && isBlank(bytes)) continue;
      if (!sawHeader) {
        const bad = notUtf8(record.line, bytes);
        if (bad) throw new SourceError(`the header of "${file}" is not valid UTF-8 (${bad})`);
        const header = bytes.toString('utf8');
        const fields = csvFields(header, delimiter ?? defaultDelimiter);
        if (typeof fields === 'string') throw new SourceError(`the header of "${file}" cannot be read: ${fields}`);
        const repeated = repeatedColumn(headerNames(header, delimiter ?? defaultDelimiter));
        if (repeated) throw new SourceError(`the header of "${file}" ${repeated}`);
        headerFields = fields;
        await out.write(`${header}${delimiter ?? defaultDelimiter}${ROW_NUMBER_COLUMN}\n`);
        sawHeader = true;
        continue;
      }
      rowNumber += 1;
      const reject = (reason: string) => {
        rejections.push({ line: record.line, rowNumber, reason: `line ${record.line}: ${reason}` });
      };
      if (record.unclosedQuote) {
        reject('a quoted field is never closed (the rest of the file could not be read)');
        break;
      }
      if (bytes.length > MAX_RECORD_BYTES) {
        reject(`longer than ${MAX_RECORD_BYTES / 1_000_000} MB`);
        continue;
      }
      const encoding = notUtf8(record.line, bytes);
      if (encoding) {
        rejections.push({ line: record.line, rowNumber, reason: encoding });
        continue;
      }
      const text = bytes.toString('utf8');
      if (kind === 'csv') {
        const fields = csvFields(text, delimiter ?? defaultDelimiter);
        if (typeof fields === 'string') {
          reject(fields);
          continue;
        }
        if (fields !== headerFields) {
          reject(`${fields} field${fields === 1 ? '' : 's'}, the header has ${headerFields}`);
          continue;
        }
        await out.write(`${text}${delimiter ?? defaultDelimiter}${rowNumber}\n`);
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        // Node 24's parser adds "(line 1 column 27)": the rejection names the file's line itself, and the
        // position says where in it, so the message reads the same on every Node line.
        const message = (error instanceof Error ? error.message : String(error)).replace(
          / \(line \d+ column \d+\)$/,
          '',
        );
        reject(`not valid JSON: ${message.charAt(0).toLowerCase()}${message.slice(1)}`);
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        reject(
          `expected a JSON object, found ${Array.isArray(value) ? 'a list' : (JSON.stringify(value)?.slice(0, 40) ?? 'nothing')}`,
        );
        continue;
      }
      // The row number goes in as text, so the line's own values reach DuckDB exactly as written.
      const brace = text.indexOf('{');
      const empty = Object.keys(value).length === 0;
      await out.write(`{"${ROW_NUMBER_COLUMN}":${rowNumber}${empty ? '' : ','}${text.slice(brace + 1)}\n`);
    }
    if (!sawHeader) throw new SourceError(`"${file}" is empty: it has no header line`);
    await out.flush();
  } finally {
    await handle.close();
  }
  writeFileSync(metaPath, JSON.stringify({ delimiter, rejections }));
  renameSync(temporary, path);
  rmSync(temporary, { force: true });
  return { path, delimiter, rejections };
}
