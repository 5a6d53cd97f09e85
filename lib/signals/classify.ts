import { z } from 'zod';
import { foldText, wordsOf } from '@/lib/signals/text';

export const mentionCategories = ['complaint', 'question', 'praise', 'other'] as const;
export const MentionCategory = z.enum(mentionCategories);
export type MentionCategory = z.infer<typeof MentionCategory>;

export const guessedLanguages = ['en', 'es', 'pt', 'unknown'] as const;
export type GuessedLanguage = (typeof guessedLanguages)[number];

/** Languages trigger phrases are configured in. */
export const triggerLanguages = ['en', 'es', 'pt'] as const;
type Lang = (typeof triggerLanguages)[number];
/** Trigger categories, each with phrases per language. */
export const triggerCategories = ['complaint', 'question', 'praise'] as const;
export type TriggerSet = Record<(typeof triggerCategories)[number], Record<Lang, string[]>>;

// A trailing '*' matches any ending of the last word ("refund*" matches "refunded"); matching ignores case and accents.
/** The built-in trigger phrases per category and language; organizations override them per language in settings. */
export const defaultTriggersByLanguage: TriggerSet = {
  complaint: {
    en: ['help', 'refund*', 'lost', 'never again', 'worst', 'terrible', 'awful', 'horrible', 'disgrace*', 'unacceptable', 'ridiculous', 'scam', 'cancel*', 'delayed', 'broken', 'damaged', 'missing', 'not happy', 'disappointed', 'furious', 'complaint', 'still waiting', 'no answer', 'no response', 'nobody answers', 'no one answers', 'compensation', 'overcharged', 'charged twice', 'thanks for nothing', 'useless', 'shame on you', 'boycott'],
    es: ['ayuda', 'reembolso', 'devolucion', 'perdido', 'perdida', 'perdieron', 'extraviada', 'extraviado', 'nunca mas', 'peor', 'pesimo', 'pesima', 'horrible', 'terrible', 'verguenza', 'inaceptable', 'ridiculo', 'estafa', 'cancelado', 'cancelada', 'retraso', 'roto', 'rota', 'no llego', 'reclamacion', 'queja', 'sigo esperando', 'nadie responde', 'nadie contesta', 'indemnizacion', 'cobro doble', 'no estoy contento', 'decepcionado', 'decepcionada', 'harto', 'harta'],
    pt: ['ajuda', 'reembolso', 'perdida', 'perdido', 'extraviada', 'extraviado', 'nunca mais', 'pior', 'pessimo', 'pessima', 'horrivel', 'vergonha', 'inaceitavel', 'ridiculo', 'golpe', 'cancelado', 'cancelada', 'atraso', 'atrasado', 'quebrado', 'quebrada', 'nao chegou', 'reclamacao', 'continuo esperando', 'ninguem responde', 'indenizacao', 'cobranca duplicada', 'decepcionado', 'decepcionada', 'absurdo', 'descaso'],
  },
  question: {
    en: ['how do i', 'how can i', 'how to', 'can i', 'can you', 'could you', 'is it possible', 'do you', 'does anyone know', 'when will', 'is there a way'],
    es: ['como puedo', 'como hago', 'puedo', 'pueden', 'podrian', 'es posible', 'alguien sabe', 'donde puedo', 'hay alguna forma'],
    pt: ['como faco', 'como posso', 'posso', 'podem', 'poderiam', 'e possivel', 'alguem sabe', 'onde posso', 'tem como'],
  },
  praise: {
    en: ['thank you', 'thanks', 'great', 'love', 'amazing', 'awesome', 'excellent', 'fantastic', 'well done', 'kudos', 'appreciate*', 'perfect'],
    es: ['gracias', 'genial', 'excelente', 'me encanta', 'increible', 'el mejor', 'la mejor', 'perfecto', 'buenisimo', 'fantastico', 'felicidades', 'enhorabuena'],
    pt: ['obrigado', 'obrigada', 'valeu', 'otimo', 'otima', 'excelente', 'adorei', 'amei', 'incrivel', 'o melhor', 'a melhor', 'perfeito', 'parabens', 'maravilhoso'],
  },
};

const flatten = (byLang: Record<Lang, string[]>) => [...new Set([...byLang.en, ...byLang.es, ...byLang.pt])];

const Triggers = z.array(z.string().trim().min(1).max(100)).max(1_000);

/** Trigger phrases of an organization, by category; English, Spanish and Portuguese by default. */
export const ClassifyOptions = z.object({
  triggers: z.object({ complaint: Triggers, question: Triggers, praise: Triggers }),
});
export type ClassifyOptions = z.infer<typeof ClassifyOptions>;

/** The defaults an organization starts from and may edit. */
export const defaultClassifyOptions: ClassifyOptions = {
  triggers: {
    complaint: flatten(defaultTriggersByLanguage.complaint),
    question: flatten(defaultTriggersByLanguage.question),
    praise: flatten(defaultTriggersByLanguage.praise),
  },
};

export type Classification = {
  category: MentionCategory;
  /** The configured phrases found, as configured, complaint ones first. */
  matchedTriggers: string[];
  /** -1 (very negative) to 1 (very positive). */
  sentiment: number;
  language: GuessedLanguage;
  /** Lowercased, accent-free significant words, then hashtags as "#tag"; for grouping mentions into topics. */
  topicTerms: string[];
};

const stopWords: Record<Lang, string[]> = {
  en: ['the', 'a', 'an', 'and', 'or', 'but', 'is', 'are', 'was', 'were', 'be', 'been', 'am', 'i', 'me', 'my', 'mine', 'you', 'your', 'yours', 'he', 'she', 'it', 'its', 'we', 'our', 'they', 'their', 'them', 'this', 'that', 'these', 'those', 'to', 'of', 'in', 'on', 'at', 'for', 'with', 'from', 'by', 'about', 'as', 'into', 'over', 'after', 'before', 'not', 'no', 'yes', 'do', 'does', 'did', 'done', 'have', 'has', 'had', 'will', 'would', 'can', 'could', 'should', 'just', 'so', 'very', 'too', 'again', 'still', 'now', 'then', 'there', 'here', 'what', 'when', 'where', 'who', 'why', 'how', 'which', 'all', 'any', 'some', 'if', 'than', 'up', 'out', "don't", "i'm", "it's", "can't", 'im', 'dont', 'cant', 'get', 'got', 'also'],
  es: ['el', 'la', 'los', 'las', 'un', 'una', 'unos', 'unas', 'y', 'o', 'pero', 'es', 'son', 'fue', 'ser', 'estar', 'esta', 'estoy', 'estan', 'yo', 'mi', 'mis', 'me', 'tu', 'tus', 'te', 'usted', 'ustedes', 'su', 'sus', 'nos', 'nuestro', 'que', 'de', 'del', 'al', 'en', 'con', 'por', 'para', 'sin', 'sobre', 'no', 'si', 'ya', 'muy', 'mas', 'lo', 'le', 'les', 'se', 'este', 'esto', 'eso', 'ese', 'hay', 'ha', 'han', 'he', 'hace', 'tengo', 'tiene', 'como', 'cuando', 'donde', 'quien', 'porque', 'todo', 'todos', 'nada', 'hola', 'aun', 'todavia', 'ni', 'pues', 'ahora'],
  pt: ['o', 'a', 'os', 'as', 'um', 'uma', 'uns', 'umas', 'e', 'ou', 'mas', 'foi', 'ser', 'estar', 'estou', 'esta', 'estao', 'eu', 'meu', 'minha', 'meus', 'minhas', 'me', 'voce', 'voces', 'seu', 'sua', 'seus', 'suas', 'nos', 'nosso', 'que', 'de', 'do', 'da', 'dos', 'das', 'em', 'no', 'na', 'nas', 'com', 'por', 'para', 'pra', 'sem', 'sobre', 'nao', 'sim', 'ja', 'muito', 'mais', 'lo', 'lhe', 'se', 'este', 'isto', 'isso', 'esse', 'essa', 'tem', 'ha', 'fiz', 'faz', 'tenho', 'como', 'quando', 'onde', 'quem', 'porque', 'tudo', 'todos', 'nada', 'ola', 'ainda', 'nem', 'pois', 'agora', 'ate'],
};
const allStopWords = new Set(Object.values(stopWords).flat());
const stopWordsByLang = Object.fromEntries(Object.entries(stopWords).map(([lang, words]) => [lang, new Set(words)])) as Record<Lang, Set<string>>;

// Words from the default triggers hint at a language, so a lone "¡Ayuda!" still reads as Spanish.
const triggerWordsByLang = Object.fromEntries(
  (['en', 'es', 'pt'] as const).map((lang) => [lang, new Set(Object.values(defaultTriggersByLanguage).flatMap((set) => set[lang]).flatMap((p) => wordsOf(foldText(p.replace(/\*$/, '')))))]),
) as Record<Lang, Set<string>>;

const negators = new Set(['not', 'no', 'never', "don't", "didn't", "isn't", "wasn't", 'nunca', 'nao', 'nem', 'ni', 'jamas']);
const positiveWords = ['good', 'nice', 'happy', 'glad', 'helpful', 'quick', 'fast', 'friendly', 'kind', 'solved', 'resolved', 'bueno', 'buena', 'contento', 'contenta', 'feliz', 'rapido', 'amable', 'resuelto', 'bom', 'boa', 'satisfeito', 'satisfeita', 'rapida', 'gentil', 'resolvido'];
const negativeWords = ['bad', 'angry', 'mad', 'slow', 'rude', 'hate', 'sucks', 'joke', 'liars', 'incompetent', 'malo', 'mala', 'enfadado', 'lento', 'grosero', 'odio', 'mentirosos', 'incompetentes', 'ruim', 'lenta', 'grosso', 'odeio', 'mentirosos', 'incompetente', 'raiva'];
const positiveSet = new Set(positiveWords.map(foldText));
const negativeSet = new Set(negativeWords.map(foldText));
const positiveEmoji = /[😀😃😄😁😊🙂😍🥰😘❤💖💙💚👍👏🙌🎉⭐🌟]/gu;
const negativeEmoji = /[😡🤬😠😤👎💩😞😢😭💔🙄😒🤮😩😫]/gu;

type CompiledTrigger = { phrase: string; words: string[]; prefix: boolean };
/** Triggers indexed by their first word, so a text is scanned once instead of once per trigger. */
type CompiledSet = { triggers: CompiledTrigger[]; byFirstWord: Map<string, number[]>; firstWordIsPrefix: number[] };

function compile(phrases: readonly string[]): CompiledSet {
  const triggers = phrases.flatMap((phrase) => {
    const prefix = phrase.trim().endsWith('*');
    const words = wordsOf(foldText(phrase.replace(/\*\s*$/, '')));
    return words.length ? [{ phrase, words, prefix }] : [];
  });
  const byFirstWord = new Map<string, number[]>();
  const firstWordIsPrefix: number[] = [];
  triggers.forEach((trigger, index) => {
    if (trigger.prefix && trigger.words.length === 1) firstWordIsPrefix.push(index);
    else byFirstWord.set(trigger.words[0]!, [...(byFirstWord.get(trigger.words[0]!) ?? []), index]);
  });
  return { triggers, byFirstWord, firstWordIsPrefix };
}

type Compiled = Record<'complaint' | 'question' | 'praise', CompiledSet>;

// Organization settings are read once per options object, not once per mention.
const compiledCache = new WeakMap<ClassifyOptions, Compiled>();

function compiledTriggersOf(options: ClassifyOptions): Compiled {
  const cached = compiledCache.get(options);
  if (cached) return cached;
  const { triggers } = ClassifyOptions.parse(options);
  const compiled = { complaint: compile(triggers.complaint), question: compile(triggers.question), praise: compile(triggers.praise) };
  compiledCache.set(options, compiled);
  return compiled;
}

function matchesAt(trigger: CompiledTrigger, tokens: readonly string[], start: number): boolean {
  const n = trigger.words.length;
  if (start + n > tokens.length) return false;
  return trigger.words.every((word, k) => {
    const token = tokens[start + k] ?? '';
    return trigger.prefix && k === n - 1 ? token.startsWith(word) : token === word;
  });
}

// Each trigger counts once, at its first occurrence; the positions it covers are recorded so one word is never
// counted twice for sentiment. Found phrases come back in the configured order.
function findMatches(tokens: readonly string[], set: CompiledSet, covered: Set<number>): string[] {
  const firstHit = new Map<number, number>();
  for (let start = 0; start < tokens.length; start++) {
    for (const index of set.byFirstWord.get(tokens[start]!) ?? []) if (!firstHit.has(index) && matchesAt(set.triggers[index]!, tokens, start)) firstHit.set(index, start);
    for (const index of set.firstWordIsPrefix) if (!firstHit.has(index) && matchesAt(set.triggers[index]!, tokens, start)) firstHit.set(index, start);
  }
  return [...firstHit.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, start]) => {
      const trigger = set.triggers[index]!;
      for (let k = 0; k < trigger.words.length; k++) covered.add(start + k);
      return trigger.phrase;
    });
}

/** Guesses English, Spanish or Portuguese from function words, trigger words and spelling; 'unknown' when the evidence is thin or tied. */
export function guessLanguage(text: string): GuessedLanguage {
  return languageOf(text, wordsOf(foldText(text)));
}

function languageOf(text: string, tokens: readonly string[]): GuessedLanguage {
  const score: Record<Lang, number> = { en: 0, es: 0, pt: 0 };
  for (const token of tokens) {
    for (const lang of ['en', 'es', 'pt'] as const) {
      if (stopWordsByLang[lang].has(token)) score[lang] += 1;
      else if (triggerWordsByLang[lang].has(token)) score[lang] += 0.75;
    }
  }
  if (/[ñ¿¡]/i.test(text)) score.es += 2;
  if (/[ãõç]/i.test(text)) score.pt += 2;
  const ranked = (Object.entries(score) as [Lang, number][]).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || first[1] < 1 || (second && first[1] === second[1])) return 'unknown';
  return first[0];
}

/** Significant words and hashtags of a text, for topic grouping and spike detection. */
export function topicTermsOf(text: string, hashtags: readonly string[] = []): string[] {
  return termsOfFolded(foldText(text), hashtags);
}

// Folding first changes none of what is stripped: links and handles are ASCII, and a fullwidth ＃ folds to #.
function termsOfFolded(folded: string, hashtags: readonly string[]): string[] {
  const withoutNoise = folded
    .replace(/https?:\/\/\S+/gi, ' ')
    .replace(/(^|\s)@\w+/g, ' ')
    .replace(/#[\p{L}\p{N}_]+/gu, ' ');
  const terms = new Set<string>();
  for (const word of wordsOf(withoutNoise)) {
    if (word.length < 2 || /^\d+$/.test(word) || allStopWords.has(word)) continue;
    terms.add(word);
  }
  for (const tag of hashtags) {
    const clean = foldText(tag.replace(/^[#＃]/, ''));
    if (clean) terms.add(`#${clean}`);
  }
  for (const tag of folded.match(/#[\p{L}\p{N}_]+/gu) ?? []) terms.add(tag);
  return [...terms];
}

/**
 * Classifies a mention as complaint, question, praise or other from the organization's trigger phrases
 * (case-, accent- and word-boundary-aware), with a sentiment score, a language guess and topic terms.
 * Ties go to the more urgent category: a complaint that also thanks is still a complaint.
 */
export function classifyText(input: { text: string; hashtags?: readonly string[] }, options: ClassifyOptions = defaultClassifyOptions): Classification {
  const compiled = compiledTriggersOf(options);
  const folded = foldText(input.text);
  const tokens = wordsOf(folded);
  const covered = new Set<number>();
  const complaint = findMatches(tokens, compiled.complaint, covered);
  const praise = findMatches(tokens, compiled.praise, covered);
  const question = findMatches(tokens, compiled.question, new Set());

  const asks = /[?¿]/.test(input.text) ? 0.5 : 0;
  const scores = { complaint: complaint.length, question: question.length + asks, praise: praise.length };
  let category: MentionCategory = 'other';
  if (scores.complaint > 0 && scores.complaint >= scores.question && scores.complaint >= scores.praise) category = 'complaint';
  else if (scores.question > 0 && scores.question >= scores.praise) category = 'question';
  else if (scores.praise > 0) category = 'praise';

  let positive = praise.length + (input.text.match(positiveEmoji)?.length ?? 0);
  let negative = complaint.length + (input.text.match(negativeEmoji)?.length ?? 0);
  tokens.forEach((token, i) => {
    if (covered.has(i)) return;
    const polarity = positiveSet.has(token) ? 1 : negativeSet.has(token) ? -1 : 0;
    if (polarity === 0) return;
    const negated = [tokens[i - 1], tokens[i - 2]].some((t) => t !== undefined && negators.has(t));
    if (polarity * (negated ? -1 : 1) > 0) positive += 1;
    else negative += 1;
  });
  const shouting = (input.text.match(/!/g)?.length ?? 0) >= 2 || /\b[A-Z]{4,}\b/.test(input.text);
  const raw = (positive - negative) / (positive + negative + 1);
  const sentiment = Math.max(-1, Math.min(1, raw * (shouting ? 1.25 : 1)));

  return {
    category,
    matchedTriggers: [...complaint, ...question, ...praise],
    sentiment: Math.round(sentiment * 100) / 100,
    language: languageOf(input.text, tokens),
    topicTerms: termsOfFolded(folded, input.hashtags ?? []),
  };
}
