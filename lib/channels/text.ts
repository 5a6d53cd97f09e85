/** Hashtags in `text`, lowercased and without '#'; used where a platform does not list them for us. */
export function extractHashtags(text: string): string[] {
  const found: string[] = [];
  // A hashtag starts after a non-word character and holds letters (any script), marks, digits or '_'.
  for (const match of text.matchAll(/(?:^|[^\p{L}\p{N}_&])[#＃]([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*)/gu)) {
    if (match[1]) found.push(match[1]);
  }
  return normalizeHashtags(found);
}

/** Lowercases, strips '#', drops empties and duplicates, keeping first-seen order. */
export function normalizeHashtags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    const clean = tag.trim().replace(/^[#＃]/, '').toLowerCase();
    if (clean) seen.add(clean);
  }
  return [...seen];
}
