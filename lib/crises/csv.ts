/**
 * Writes rows as CSV (RFC 4180). Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) are prefixed
 * with an apostrophe: customer names come from social media.
 */
export function toCsv(rows: string[][]): string {
  const cell = (value: string) => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
