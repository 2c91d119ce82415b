// The preview pane: the entry being edited, rendered as patients will see it, by the theme's own
// templates and stylesheet. Decap draws the pane as a frame with a document of its own; the
// theme's stylesheet is in its head (registered as a preview style) and this component fills
// its body with the page. The rest of the practice's site (navigation, footer, other pages on
// the team, news and home pages) comes from the published content, loaded once.
import { createElement as h, useEffect, useMemo, useState } from 'react';
import type { ThemeEnvironment } from './environment.ts';
import { PreviewError, previewSite, type SourceEntry } from './preview-site.ts';
import { readingAgeNotice } from './reading-age-notice.ts';
import { renderPage } from './render-preview.ts';

/** The props Decap gives a preview template that this one uses. */
export interface PreviewProps {
  entry: ImmutableLike;
  collection: ImmutableLike;
  getCollection(name: string, slug?: string): Promise<ImmutableLike[] | ImmutableLike>;
  /** The media library's copy of a file by its public path: a blob: URL once loaded, '' until then. */
  getAsset(path: string): { toString(): string };
  document: Document;
}
interface ImmutableLike {
  get(key: string): any;
  toJS(): any;
}

export interface PreviewContext {
  practice: string;
  /** The theme's templates, fetched once. */
  theme(): Promise<ThemeEnvironment>;
  /** Every collection's name, to load the published site. */
  collections: readonly string[];
}

type Loaded = { theme: ThemeEnvironment; published: SourceEntry[] } | { error: string };

let publishedSite: Promise<SourceEntry[]> | undefined;

/** Forgets the published site, after something is published, so the next preview loads it afresh. */
export function forgetPublishedSite(): void {
  publishedSite = undefined;
}

async function loadPublished(props: PreviewProps, names: readonly string[]): Promise<SourceEntry[]> {
  const lists = await Promise.all(names.map((n) => props.getCollection(n)));
  return lists.flatMap((list) => (Array.isArray(list) ? list : [list])).map((e) => ({ path: String(e.get('path')), data: (e.get('data') ?? {}) as Record<string, unknown> }));
}

/** The path a new entry will have once saved, for entries Decap has not named yet. */
function pathOf(props: PreviewProps, data: Record<string, unknown>): string {
  const path = props.entry.get('path') as string | undefined;
  if (path) return path;
  const folder = props.collection.get('folder') as string;
  const slug = String(props.entry.get('slug') || data.title || data.name || 'new-entry')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${folder}/${slug || 'new-entry'}.md`;
}

export function previewTemplate(context: PreviewContext) {
  return function PracticePreview(props: PreviewProps) {
    const [loaded, setLoaded] = useState<Loaded | undefined>();
    useEffect(() => {
      let live = true;
      publishedSite ??= loadPublished(props, context.collections).catch((e: unknown) => {
        publishedSite = undefined;
        throw e;
      });
      Promise.all([context.theme(), publishedSite]).then(
        ([theme, published]) => live && setLoaded({ theme, published }),
        (e: unknown) => live && setLoaded({ error: (e as Error).message }),
      );
      return () => {
        live = false;
      };
    }, []);

    const data = props.entry.get('data')?.toJS() ?? {};
    const rendered = useMemo(() => {
      if (!loaded || 'error' in loaded) return undefined;
      try {
        const site = previewSite({ practice: context.practice, published: loaded.published, edited: { path: pathOf(props, data), data }, now: new Date() });
        return { page: renderPage(loaded.theme, site.route), problems: site.problems };
      } catch (e) {
        return { error: e instanceof PreviewError ? e.message : `the page could not be drawn (${(e as Error).message})` };
      }
    }, [loaded, props.entry]);
    const readingAge = useMemo(() => readingAgeNotice(String(props.collection.get('name')), data.body), [props.entry, props.collection]);

    // The design system's styles hang on the classes of <html> and <body>; links in a preview go nowhere.
    const doc = props.document;
    const page = rendered && 'page' in rendered ? rendered.page : undefined;
    useEffect(() => {
      doc.documentElement.className = page?.htmlClass ?? '';
      doc.body.className = page?.bodyClass ?? '';
      doc.documentElement.lang = 'en-GB';
    }, [doc, page?.htmlClass, page?.bodyClass]);
    useEffect(() => {
      const stay = (e: Event) => {
        if ((e.target as Element | null)?.closest?.('a[href], form')) e.preventDefault();
      };
      doc.addEventListener('click', stay);
      doc.addEventListener('submit', stay);
      return () => {
        doc.removeEventListener('click', stay);
        doc.removeEventListener('submit', stay);
      };
    }, [doc]);

    if (!loaded) return note('Loading the preview…');
    if ('error' in loaded) return note(`The preview cannot be shown: the practice's site could not be loaded (${loaded.error}).`);
    if (!rendered) return note('Loading the preview…');
    if ('error' in rendered) return note(`The preview cannot be shown yet: ${rendered.error}.`);
    return h(
      'div',
      { className: 'pd-preview' },
      rendered.problems.length
        ? h(
            'div',
            { className: 'nhsuk-warning-callout pd-preview__problems' },
            h('h2', { className: 'nhsuk-warning-callout__label' }, h('span', { role: 'text' }, h('span', { className: 'nhsuk-u-visually-hidden' }, 'Important: '), 'Not ready to publish')),
            h('p', {}, 'The site build would refuse this entry until these are put right:'),
            h('ul', {}, rendered.problems.map((p) => h('li', { key: p }, p))),
          )
        : null,
      readingAge,
      h('div', { dangerouslySetInnerHTML: { __html: withMedia(rendered.page.body, props.getAsset) } }),
    );
  };
}

/**
 * Images from the practice's media library: on the site they are /media/…, which on the portal is
 * nothing. Decap loads each through the gateway and hands out an in-memory (blob:) copy; until it
 * has, the image has no source (and so makes no request).
 */
function withMedia(body: string, getAsset: PreviewProps['getAsset']): string {
  return body.replace(/(<img\b[^>]*?\bsrc=")(\/media\/[^"]+)(")/g, (_, before: string, path: string, after: string) => {
    const url = String(getAsset(path) ?? '');
    return `${before}${url.startsWith('blob:') ? url : ''}${after}`;
  });
}

const note = (text: string) => h('div', { className: 'nhsuk-width-container' }, h('p', { className: 'nhsuk-body' }, text));
