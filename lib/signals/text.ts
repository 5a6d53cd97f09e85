/** Lowercases and removes diacritics, so "Reembolsó", "reembolso" and "REEMBOLSO" compare equal. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’‘`´]/g, "'");
}

/** Words of folded text, in order: letters and digits of any script, with inner apostrophes ("don't"). */
export function wordsOf(folded: string): string[] {
  return folded.match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? [];
}
