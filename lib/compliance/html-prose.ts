// Rendered page HTML back to plain paragraphs, for the reading-age score: the checks see the
// published body (after sanitising), and block ends become paragraph breaks so sentences in
// different blocks are never run together.
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'", ndash: '–', mdash: '—', rsquo: '’', lsquo: '‘' };

export function htmlToParagraphs(html: string): string {
  return html
    .replace(/<(script|style|pre|code)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/(p|li|h[1-6]|td|th|tr|dd|dt|blockquote|div|caption)>/gi, '\n\n')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (m, name: string) => {
      if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#') && name !== '#39') return String.fromCodePoint(Number(name.slice(1)));
      return entities[name.toLowerCase()] ?? m;
    })
    // Markdown would read a leading "1." or "-" as a list marker, and `*`/`_` as emphasis.
    .replace(/^[ \t]+/gm, '')
    .replace(/([*_`#>])/g, '\\$1');
}
