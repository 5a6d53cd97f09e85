import { describe, expect, it } from 'vitest';
import { caught } from '@/lib/channels/testing';
import { CsvParser, parseCsv, parseCsvRecords } from '@/lib/csv';

describe('parseCsv (RFC 4180)', () => {
  it('splits plain records with CRLF, LF or CR line ends', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a\r1\r')).toEqual([['a'], ['1']]);
  });

  it('keeps commas, line breaks and doubled quotes inside quoted fields', () => {
    const text = 'id,text\r\n1,"Late, again.\r\nSecond line with ""quotes"""\r\n2,""\r\n';
    expect(parseCsv(text)).toEqual([
      ['id', 'text'],
      ['1', 'Late, again.\r\nSecond line with "quotes"'],
      ['2', ''],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,,c,\n')).toEqual([['a', '', 'c', '']]);
  });

  it('strips a UTF-8 byte order mark from the first header', () => {
    expect(parseCsv('\uFEFFchannel,text\nx,hi')[0]).toEqual(['channel', 'text']);
  });

  it('reports an unterminated quote and text after a closing quote with line and field', () => {
    expect(caught(() => parseCsv('a,b\n1,"open\nstill open')).message).toContain('starting on line 2 is never closed');
    expect(caught(() => parseCsv('a,b\n1,"x"y')).message).toContain('line 2, field 2');
  });

  it('gives each record the line it starts on, counting line breaks inside quotes once', () => {
    const records = parseCsvRecords('h1,h2\r\n1,"two\r\nlines"\r\n\r\n3,"a\rb\nc"\n4,x');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4, 5, 8]);
    expect(records[3]!.cells).toEqual(['3', 'a\rb\nc']);
  });

  it('refuses a row longer than the limit, naming the line it starts on', () => {
    expect(parseCsvRecords(`a\n${'x'.repeat(50)}`, 60)).toHaveLength(2);
    const error = caught(() => parseCsvRecords(`a\nb\n"${'x'.repeat(100)}`, 60));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('the row starting on line 3 is longer than 60 characters');
  });
});

describe('CsvParser', () => {
  it('reads the same records whatever the pieces the text arrives in', () => {
    const text = '\uFEFFname,note\r\n"Ana ""A"" Silva","line one\r\nline two"\r\nBen,plain\r\n';
    const whole = parseCsvRecords(text);
    for (const size of [1, 2, 3, 7]) {
      const parser = new CsvParser();
      const records = [];
      for (let i = 0; i < text.length; i += size) records.push(...parser.push(text.slice(i, i + size)));
      records.push(...parser.end());
      expect(records).toEqual(whole);
    }
    expect(whole.map((r) => r.cells)).toEqual([
      ['name', 'note'],
      ['Ana "A" Silva', 'line one\r\nline two'],
      ['Ben', 'plain'],
    ]);
  });
});
