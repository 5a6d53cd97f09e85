/**
 * Normalizes a phone number to E.164 ("+" then 7–15 digits, no leading zero in the country code).
 * A national number needs `defaultCallingCode` (e.g. "34"); its trunk "0" is dropped except for Italy.
 * Returns undefined when the input cannot be a phone number, so callers decide whether that is an error.
 */
export function toE164(input: string, defaultCallingCode?: string): string | undefined {
  let s = input.trim().replace(/^tel:/i, '');
  // Extensions reach a desk, not a person; they are not part of the identity.
  s = s.replace(/\s*(?:;ext=|ext\.?|x)\s*\d+$/i, '');
  if (!/^[+\d\s().\-/]+$/.test(s)) return undefined;
  const international = s.startsWith('+') || s.replace(/[\s().\-/]/g, '').startsWith('00');
  let digits = s.replace(/\D/g, '');
  if (international) {
    if (!s.startsWith('+')) digits = digits.slice(2);
  } else {
    if (!defaultCallingCode || !/^[1-9]\d{0,2}$/.test(defaultCallingCode)) return undefined;
    if (defaultCallingCode === '1' && digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
    else if (defaultCallingCode !== '39' && digits.startsWith('0')) digits = digits.slice(1);
    digits = defaultCallingCode + digits;
  }
  if (!/^[1-9]\d{6,14}$/.test(digits)) return undefined;
  return `+${digits}`;
}
