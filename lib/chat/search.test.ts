import { describe, expect, it } from 'vitest';
import { fsReader } from '../../build/node/fs-reader.ts';
import { demoNow, repo } from '../../test/support/demo-site.ts';
import { loadPractice } from '../content/load-practice.ts';
import { buildChatIndex } from './index-builder.ts';
import { queryTerms, search, searchOnly, stem, terms } from './search.ts';

describe('normalisation', () => {
  it('lower-cases, drops punctuation and stop words, and stems both sides alike', () => {
    expect(terms("What are the surgery's Opening Times?")).toEqual(['surgery', 'open', 'time']);
    expect(stem('times')).toBe(stem('time'));
    expect(stem('notes')).toBe(stem('note'));
    expect(stem('vaccination')).toBe(stem('vaccine'));
    expect(stem('registration')).toBe(stem('register'));
    expect(stem('appointments')).toBe(stem('appointment'));
  });

  it('rewrites patient phrases and widens with synonyms at a lower weight', () => {
    const sick = queryTerms('can I get a sick note');
    expect(sick.get(stem('fit'))).toBe(1);
    expect(sick.get(stem('note'))).toBe(1);
    expect(queryTerms('smear test').get(stem('cervical'))).toBe(1);
    expect(queryTerms('flu jab').get(stem('vaccination'))).toBe(1);
    expect(queryTerms('sign up').get(stem('register'))).toBe(1);
    expect(queryTerms('open on weds').get('wednesday')).toBe(1);
    const weights = queryTerms('repeat');
    expect(weights.get(stem('prescription'))).toBeLessThan(1);
  });
});

describe('search', async () => {
  const index = buildChatIndex((await loadPractice(fsReader(repo), 'riverside')).practice!, { now: demoNow });

  it('ranks the page that answers first', () => {
    expect(search(index, 'how do I get a sick note', 3)[0]!.passage.url).toBe('/fit-notes/');
    expect(search(index, 'book a smear', 3)[0]!.passage.url).toBe('/cervical-screening/');
    expect(search(index, 'when is Millbrook open on weds', 3).map((h) => h.passage.url)).toContain('/contact/');
  });

  it('finds nothing for words no page has', () => {
    expect(search(index, 'zxqv blorp', 5)).toEqual([]);
    expect(searchOnly(index, 'zxqv blorp', 5)).toEqual([]);
  });

  it('searchOnly ranks the same passages as search', () => {
    const q = 'how long do test results take';
    expect(searchOnly(index, q, 5).map((h) => h.at)).toEqual(search(index, q, 5).map((h) => h.at));
  });
});
