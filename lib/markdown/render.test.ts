import { describe, expect, it } from 'vitest';
import matter from 'gray-matter';
import { practiceTree } from '../../test/support/content-copy.ts';
import { renderMarkdown, sanitize } from './render.ts';

describe('rendering Markdown', () => {
  it('gives external links rel="noopener noreferrer", keeps phone numbers together, and styles tables', () => {
    const { html } = renderMarkdown('[NHS](https://www.nhs.uk/) [Us](/contact/) [Call](tel:01632960100 "x")\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(html).toContain('<a href="https://www.nhs.uk/" rel="noopener noreferrer">NHS</a>');
    expect(html).toContain('<a href="/contact/">Us</a>');
    expect(html).toMatch(/<table class="nhsuk-table">/);
    expect(renderMarkdown('[01632 960 100](tel:01632960100)').html).toContain('>01632\u00a0960\u00a0100</a>');
  });

  it('never lets unsafe markup through, even when the caller ignores the problems it reports', () => {
    const r = renderMarkdown('Hi <script>alert(1)</script> <img src="/m.png" onerror="x()"> [a](javascript:alert(1)) <iframe src="https://x"></iframe>');
    expect(r.unsafe.length).toBe(4);
    expect(r.html).not.toMatch(/script|onerror|javascript:|iframe/i);
  });

  it('sanitises HTML an editor wrote, keeping what the allowlist allows', () => {
    const r = renderMarkdown('<abbr title="General practitioner">GP</abbr> and <span lang="cy">Croeso</span>');
    expect(r.unsafe).toEqual([]);
    expect(r.html).toContain('<abbr title="General practitioner">GP</abbr>');
    expect(r.html).toContain('<span lang="cy">Croeso</span>');
  });

  it('produces, for every body of the demo content, exactly what the sanitiser would leave', async () => {
    let bodies = 0;
    for (const slug of ['riverside', 'fellside', 'afon-teifi']) {
      for (const [file, raw] of await practiceTree(slug)) {
        if (!file.endsWith('.md')) continue;
        const { html } = renderMarkdown(matter(Buffer.from(raw, 'latin1').toString('utf8')).content);
        // The sanitiser writes a quotation mark in text as &quot;, markdown-it leaves it as is: the same text.
        const same = (h: string) => h.replaceAll('&quot;', '"');
        expect(same(sanitize(html)), file).toBe(same(html));
        bodies++;
      }
    }
    expect(bodies).toBeGreaterThan(150);
  });
});
