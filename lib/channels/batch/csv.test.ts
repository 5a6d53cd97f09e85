import { describe, expect, it } from 'vitest';
import { maxCsvMentions, parseMentionsCsv } from '@/lib/channels/batch/csv';
import { caught } from '@/lib/channels/testing';

const header = 'channel,external_id,occurred_at,author_handle,author_email,author_phone,author_followers,text';

describe('parseMentionsCsv', () => {
  it('imports rows of several channels, with multi-line quoted text', () => {
    const csv = [
      header,
      'x,1765432109876543210,2024-03-05T09:12:00Z,@MartaRuiz_,,,"18,234","Worst airline ever, #LostBag ""again"""',
      'email,<abc@mail.example>,2024-03-05T08:12:00+01:00,,Lucia@Example.com,,,"Hola,',
      'mi maleta no llegó 😡"',
      'phone,CA8f1c,2024-03-05T10:31:07Z,,,+34 600 11 22 33,,Quiere un reembolso',
      '',
    ].join('\r\n');
    const [x, mail, phone] = parseMentionsCsv(csv);
    expect(x).toMatchObject({ channel: 'x', text: 'Worst airline ever, #LostBag "again"', hashtags: ['lostbag'], author: { handle: 'MartaRuiz_', followers: 18234 } });
    expect(mail).toMatchObject({ channel: 'email', externalId: '<abc@mail.example>', text: 'Hola,\r\nmi maleta no llegó 😡', author: { email: 'lucia@example.com' } });
    expect(phone?.author.phone).toBe('+34600112233');
    expect(x?.raw).toMatchObject({ external_id: '1765432109876543210', author_followers: '18,234' });
  });

  it('accepts columns in any order and optional extra columns', () => {
    const csv = 'text,channel,occurred_at,external_id,author_handle,promoted,impressions\n"Still waiting",x,2024-03-05T09:12:00Z,42,someone,yes,90000';
    expect(parseMentionsCsv(csv)[0]).toMatchObject({ externalId: '42', promoted: true, metrics: { impressions: 90000 } });
  });

  it('names missing and misspelled columns in the header', () => {
    const error = caught(() => parseMentionsCsv('channel,external_id,text,author_emial\nx,1,hi,a@b.c'));
    expect(error.message).toContain('missing column(s) occurred_at');
    expect(error.message).toContain('unknown column(s) "author_emial"');
  });

  it('rejects the whole file naming the spreadsheet row and column of every problem', () => {
    const csv = [
      header,
      'x,1,2024-03-05T09:12:00Z,ok_user,,,,fine',
      'x,2,yesterday,ok_user,,,,bad date',
      '',
      'tiktok,3,2024-03-05T09:12:00Z,ok_user,,,,unknown channel',
      'x,4,2024-03-05T09:12:00Z,ok_user,,,lots,bad followers',
      'x,5,2024-03-05T09:12:00Z,,,,,no author',
      'x,6,2024-03-05T09:12:00Z,ok_user,,,,"unquoted, comma",extra',
    ].join('\n');
    const error = caught(() => parseMentionsCsv(csv));
    expect(error.message).toContain('5 of 6 rows are invalid');
    expect(error.message).toContain('row 3, occurred_at');
    expect(error.message).toContain('row 5, channel');
    expect(error.message).toContain('row 6, author_followers: expected a whole number, got "lots"');
    expect(error.message).toContain('row 7, author_handle/author_email/author_phone');
    expect(error.message).toContain('row 8: has 9 fields, the header has 8');
  });

  it('names the line as well as the row when a quoted text spans lines', () => {
    const csv = [header, 'x,1,2024-03-05T09:12:00Z,ok_user,,,,"first line', 'second line"', 'x,2,soon,ok_user,,,,bad date'].join('\n');
    const error = caught(() => parseMentionsCsv(csv));
    expect(error.message).toContain('row 3 (line 4), occurred_at');
    expect(error.details).toMatchObject({ problems: [{ row: 3, line: 4, column: 'occurred_at' }] });
  });

  it('takes up to 20,000 rows and refuses more', () => {
    const rows = (n: number) => [header, ...Array.from({ length: n }, (_, i) => `x,${i},2024-03-05T09:12:00Z,user_${i},,,,hi`)].join('\n');
    expect(parseMentionsCsv(rows(maxCsvMentions))).toHaveLength(20_000);
    expect(caught(() => parseMentionsCsv(rows(maxCsvMentions + 1))).code).toBe('TOO_LARGE');
  });

  it('refuses an empty file', () => {
    expect(caught(() => parseMentionsCsv('')).message).toContain('header row');
  });
});
