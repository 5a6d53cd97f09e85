import { describe, expect, it } from 'vitest';
import { classifyText, defaultClassifyOptions, guessLanguage, topicTermsOf, type ClassifyOptions } from '@/lib/signals/classify';

describe('classifyText: categories', () => {
  it.each([
    ['My bag was LOST on IB3456 and nobody answers. I want a refund!', 'complaint'],
    ['Perdieron mi maleta, necesito ayuda. ¡Nunca más vuelo con ustedes!', 'complaint'],
    ['Minha mala foi extraviada e ninguém responde. Quero reembolso. Nunca mais!', 'complaint'],
    ['Thanks for nothing, worst airline ever', 'complaint'],
    ['Where is my refund?', 'complaint'],
    ['Can you help me change my seat on tomorrow’s flight?', 'question'],
    ['¿Cómo puedo cambiar mi vuelo?', 'question'],
    ['Como faço para despachar uma bicicleta?', 'question'],
    ['Thank you so much, the crew was amazing 😍', 'praise'],
    ['¡Gracias! Excelente atención', 'praise'],
    ['Obrigada pelo atendimento, parabéns!', 'praise'],
    ['Boarding now at gate B12', 'other'],
  ])('%s → %s', (text, category) => {
    expect(classifyText({ text }).category).toBe(category);
  });

  it('matches triggers whatever the case and accents, and reports them as configured', () => {
    const result = classifyText({ text: 'NUNCA MAS. Reembolsó? REEMBOLSO ya' });
    expect(result.matchedTriggers).toEqual(expect.arrayContaining(['reembolso', 'nunca mas']));
    expect(classifyText({ text: 'nunca más' }).matchedTriggers).toContain('nunca mas');
  });

  it('matches whole words only, unless the trigger ends with *', () => {
    expect(classifyText({ text: 'The crew was so helpful' }).matchedTriggers).not.toContain('help');
    expect(classifyText({ text: 'Lostwithiel station is lovely' }).matchedTriggers).not.toContain('lost');
    expect(classifyText({ text: 'They never refunded me' }).matchedTriggers).toContain('refund*');
  });

  it('uses the organization’s own triggers instead of the defaults', () => {
    const options: ClassifyOptions = { triggers: { complaint: ['overbooked', 'tablet*'], question: [], praise: [] } };
    expect(classifyText({ text: 'You overbooked the discounted tablets' }, options)).toMatchObject({ category: 'complaint', matchedTriggers: ['overbooked', 'tablet*'] });
    expect(classifyText({ text: 'I want a refund' }, options).category).toBe('other');
  });

  it('rejects invalid trigger settings', () => {
    expect(() => classifyText({ text: 'x' }, { triggers: { complaint: [''], question: [], praise: [] } })).toThrow();
  });

  it('ships defaults in English, Spanish and Portuguese', () => {
    for (const phrase of ['help', 'refund*', 'lost', 'never again', 'worst', 'ayuda', 'reembolso', 'perdido', 'nunca mas', 'ajuda', 'perdida', 'nunca mais']) {
      expect(defaultClassifyOptions.triggers.complaint).toContain(phrase);
    }
  });
});

describe('classifyText: sentiment', () => {
  it('is negative for complaints, positive for praise and neutral for plain statements', () => {
    const angry = classifyText({ text: 'Worst service, terrible, my bag is lost 😡' }).sentiment;
    const happy = classifyText({ text: 'Great crew, thank you! 👍' }).sentiment;
    expect(angry).toBeLessThan(-0.5);
    expect(happy).toBeGreaterThan(0.5);
    expect(classifyText({ text: 'Boarding at gate B12' }).sentiment).toBe(0);
  });

  it('flips a negated positive word and stays within -1..1 when shouting', () => {
    expect(classifyText({ text: 'not good, not happy at all' }).sentiment).toBeLessThan(0);
    const shout = classifyText({ text: 'WORST!!! TERRIBLE!!! USELESS!!! SCAM!!! LOST!!! REFUND!!! 😡😡😡😡' }).sentiment;
    expect(shout).toBeGreaterThanOrEqual(-1);
    expect(shout).toBeLessThan(-0.8);
  });

  it('gives more negative scores to angrier messages', () => {
    const mild = classifyText({ text: 'my flight was delayed' }).sentiment;
    const furious = classifyText({ text: 'delayed again, worst airline, unacceptable, I want a refund 😡' }).sentiment;
    expect(furious).toBeLessThan(mild);
  });
});

describe('guessLanguage', () => {
  it.each([
    ['My bag did not arrive and I am still waiting for an answer', 'en'],
    ['Mi maleta no llegó y nadie me responde', 'es'],
    ['Minha mala não chegou e ninguém me responde', 'pt'],
    ['¡Ayuda!', 'es'],
    ['حقيبتي ضاعت', 'unknown'],
    ['IB3456 😡', 'unknown'],
  ])('%s → %s', (text, language) => {
    expect(guessLanguage(text)).toBe(language);
  });
});

describe('topicTermsOf', () => {
  it('keeps significant lowercase accent-free words and the hashtags, without stop words, mentions, links or numbers', () => {
    const terms = topicTermsOf('@AirStorm Mi maleta NO llegó a Madrid 3 días https://t.co/abc #MaletaPerdida', ['maletaperdida']);
    expect(terms).toEqual(['maleta', 'llego', 'madrid', 'dias', '#maletaperdida']);
  });

  it('keeps right-to-left words', () => {
    expect(topicTermsOf('المزوودה حقيبة مفقودة #حقيبة_مفقودة')).toEqual(expect.arrayContaining(['حقيبة', 'مفقودة', '#حقيبة_مفقودة']));
  });

  it('is part of the classification', () => {
    expect(classifyText({ text: 'Tablet oversold #TabletGate', hashtags: ['tabletgate'] }).topicTerms).toEqual(['tablet', 'oversold', '#tabletgate']);
  });
});
