import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp.ts';
import { emptyInspection, inspectHtml } from './inspect-html.ts';
import { gateCss } from './third-party-gate.ts';

const origin = 'https://riverside-medical.example';
const page = (inner: string) => `<!DOCTYPE html><html><head>${inner}</head><body><a href="https://www.nhs.uk/">NHS</a></body></html>`;
const inspect = (html: string) => {
  const i = emptyInspection();
  inspectHtml('a.html', html, origin, i);
  return i;
};

describe('the third-party gate', () => {
  it('passes a page that loads only from its own origin and links elsewhere', () => {
    expect(inspect(page('<link rel="stylesheet" href="/assets/t.css"><script src="/assets/a.js"></script><img src="/media/m.png" alt="">')).thirdParty).toEqual([]);
    expect(inspect(page(`<link rel="stylesheet" href="${origin}/x.css">`)).thirdParty).toEqual([]);
  });

  const cases: [string, string][] = [
    ['script', '<script src="https://www.googletagmanager.com/gtag/js"></script>'],
    ['protocol-relative script', '<script src="//cdn.example.com/x.js"></script>'],
    ['style', '<link rel="stylesheet" href="https://assets.nhs.uk/nhsuk.css">'],
    ['font', '<link rel="preload" as="font" href="https://fonts.gstatic.com/f.woff2">'],
    ['frame', '<iframe src="https://www.youtube.com/embed/x"></iframe>'],
    ['tracker pixel', '<img src="https://www.facebook.com/tr?id=1" alt="">'],
    ['inline CSS import', '<style>@import url("https://fonts.googleapis.com/css");</style>'],
    ['embedded data URL', '<img src="data:image/png;base64,AAAA" alt="">'],
    ['form target', '<form action="https://forms.example.com/submit"></form>'],
  ];
  for (const [what, html] of cases) {
    it(`fails a third-party ${what}`, () => {
      expect(inspect(page(html)).thirdParty.length).toBeGreaterThan(0);
    });
  }

  it('fails a stylesheet that pulls fonts or images from elsewhere', () => {
    expect(gateCss('t.css', '@font-face{src:url(https://assets.nhs.uk/fonts/f.woff2)}', origin)).toHaveLength(1);
    expect(gateCss('t.css', 'a{background:url(/assets/images/x.svg)}', origin)).toEqual([]);
  });
});

describe('the computed Content-Security-Policy', () => {
  it('is strict when pages have nothing inline, and allows exactly the hashes of inline blocks', () => {
    expect(contentSecurityPolicy(inspect(page('<script src="/a.js"></script>')))).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self';/);
    const csp = contentSecurityPolicy(inspect(page('<script>console.log(1)</script><style>p{}</style>')));
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).toMatch(/style-src 'self' 'sha256-/);
    expect(csp).not.toMatch(/unsafe/);
  });

  it('refuses inline style attributes and event handlers, which no strict policy can allow', () => {
    expect(inspect('<p style="color:red" onclick="x()">x</p>').refused.map((r) => r.what)).toEqual(['a style attribute on <p>', 'an onclick handler on <p>']);
  });
});
