import { invalidInput } from '@/lib/errors';

/** One CSV record with the line of the file it starts on (a quoted field may span several lines). */
export type CsvRecord = { line: number; cells: string[] };

/** CSV as an import verb takes it: text, or records already read from an upload stream. */
export type CsvInput = string | readonly CsvRecord[];

/** Longest record we read: a legitimate row is far shorter; a longer one is a broken quote swallowing the file. */
export const maxCsvRowChars = 1_000_000;

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'afterQuote';

/**
 * An incremental CSV reader (RFC 4180): feed it text in pieces as it arrives, get back the records completed so far.
 * Fields are comma-separated, optionally in double quotes; a quoted field may hold commas, line breaks and doubled
 * quotes (""). CRLF, LF or CR end a record; a leading UTF-8 BOM is dropped. Problems name the line and field.
 */
export class CsvParser {
  private state: State = 'fieldStart';
  private field = '';
  private record: string[] = [];
  private recordLine = 1;
  private recordChars = 0;
  private quoteLine = 1;
  private skipLineFeed = false;
  private previousWasCarriageReturn = false;
  private started = false;
  /** The line being read, counting from 1. */
  line = 1;

  constructor(private readonly maxRowChars = maxCsvRowChars) {}

  /** Reads the next piece of text; returns the records it completed. */
  push(text: string): CsvRecord[] {
    const done: CsvRecord[] = [];
    let i = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    while (i < text.length) {
      if (this.skipLineFeed) {
        this.skipLineFeed = false;
        if (text[i] === '\n') {
          i++;
          continue;
        }
      }
      if (this.state === 'fieldStart' && this.record.length === 0 && this.recordChars === 0) this.recordLine = this.line;
      // Fast paths: runs of ordinary characters are taken whole, not one by one (a 50 MB upload is 50 million).
      const end = this.state === 'quoted' ? quotedRunEnd(text, i) : this.state === 'unquoted' || (this.state === 'fieldStart' && text[i] !== '"') ? unquotedRunEnd(text, i) : i;
      if (end > i) {
        this.take(end - i);
        if (this.state === 'quoted') this.countLineBreaks(text, i, end);
        else this.state = 'unquoted';
        this.field += text.slice(i, end);
        i = end;
        continue;
      }
      this.take(1);
      this.read(text[i]!, done);
      i++;
    }
    return done;
  }

  private take(chars: number): void {
    this.recordChars += chars;
    if (this.recordChars > this.maxRowChars) {
      throw invalidInput(`CSV is invalid: the row starting on line ${this.recordLine} is longer than ${this.maxRowChars.toLocaleString('en-US')} characters (an unclosed quote?).`);
    }
  }

  // Inside a quoted field a CRLF is one line break, not two.
  private countLineBreaks(text: string, from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c === 10 ? !this.previousWasCarriageReturn : c === 13) this.line++;
      this.previousWasCarriageReturn = c === 13;
    }
  }

  /** Ends the input; returns the last record, if any. */
  end(): CsvRecord[] {
    if (this.state === 'quoted') throw invalidInput(`CSV is invalid: the quoted field starting on line ${this.quoteLine} is never closed.`);
    // A final line break ends the last record; it does not start an empty one.
    if (this.field !== '' || this.record.length > 0 || this.state === 'quoteInQuoted' || this.state === 'afterQuote') {
      const last: CsvRecord[] = [];
      this.endRecord(last);
      return last;
    }
    return [];
  }

  private read(ch: string, done: CsvRecord[]): void {
    switch (this.state) {
      case 'quoted':
        // Only a quote reaches here: the run before it was taken whole.
        this.previousWasCarriageReturn = false;
        this.state = 'quoteInQuoted';
        return;
      case 'quoteInQuoted':
        if (ch === '"') {
          this.field += '"';
          this.state = 'quoted';
          return;
        }
        this.state = 'afterQuote';
        return this.read(ch, done);
      case 'afterQuote':
        if (ch !== ',' && ch !== '\r' && ch !== '\n') {
          throw invalidInput(`CSV is invalid: line ${this.line}, field ${this.record.length + 1}: unexpected ${JSON.stringify(ch)} after a closing quote; a quote inside a quoted field is written twice ("").`);
        }
        return this.separator(ch, done);
      case 'fieldStart':
      case 'unquoted':
        if (ch === ',' || ch === '\r' || ch === '\n') return this.separator(ch, done);
        if (ch === '"' && this.state === 'fieldStart') {
          this.state = 'quoted';
          this.quoteLine = this.line;
          return;
        }
        // A stray quote inside an unquoted field is kept literally, as spreadsheets do.
        this.field += ch;
        this.state = 'unquoted';
        return;
    }
  }

  private separator(ch: string, done: CsvRecord[]): void {
    if (ch === ',') {
      this.record.push(this.field);
      this.field = '';
      this.state = 'fieldStart';
      return;
    }
    this.endRecord(done);
    this.line++;
    if (ch === '\r') this.skipLineFeed = true;
  }

  private endRecord(done: CsvRecord[]): void {
    this.record.push(this.field);
    done.push({ line: this.recordLine, cells: this.record });
    this.record = [];
    this.field = '';
    this.recordChars = 0;
    this.state = 'fieldStart';
  }
}

/** Where a run of unquoted field characters starting at `from` ends: at the next comma or line break. */
function unquotedRunEnd(text: string, from: number): number {
  let k = from;
  for (; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 44 || c === 10 || c === 13) break;
  }
  return k;
}

/** Where a run of quoted field characters starting at `from` ends: at the next quote. */
function quotedRunEnd(text: string, from: number): number {
  const quote = text.indexOf('"', from);
  return quote < 0 ? text.length : quote;
}

/** Reads CSV text whole into records with their line numbers. */
export function parseCsvRecords(text: string, maxRowChars = maxCsvRowChars): CsvRecord[] {
  const parser = new CsvParser(maxRowChars);
  const records = parser.push(text);
  for (const record of parser.end()) records.push(record);
  return records;
}

/** Reads CSV text whole into rows of fields. */
export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((r) => r.cells);
}

/** The records of CSV input, reading text when given text. */
export function csvRecordsOf(input: CsvInput): readonly CsvRecord[] {
  return typeof input === 'string' ? parseCsvRecords(input) : input;
}

/** Records without the blank lines people leave between and after rows. */
export function withoutBlankRecords(records: readonly CsvRecord[]): CsvRecord[] {
  return records.filter((r) => r.cells.some((c) => c.trim() !== ''));
}
