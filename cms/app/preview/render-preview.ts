// Renders a route with the theme's page template, as Eleventy renders every HTML page of a
// practice site, and returns what the CMS's preview frame needs: the <body> (the frame has a
// document of its own, with the theme's stylesheet in its head) and the classes of <html> and
// <body>, which the design system's styles hang on.
import type { Route } from '../../../build/site/routes.ts';
import type { ThemeEnvironment } from './environment.ts';
import { selectLabels } from './labels.ts';

export interface RenderedPage {
  title: string;
  htmlClass: string;
  bodyClass: string;
  /** The inside of <body>. */
  body: string;
}

/** templates/pages.njk without its front matter (see build/portal/theme-templates.ts). */
export const pageTemplate = 'templates/pages.njk';

let labels: ReturnType<typeof selectLabels> | undefined;

export function renderPage(theme: ThemeEnvironment, route: Route): RenderedPage {
  theme.reset();
  labels ??= selectLabels();
  // `pd.cssPath` names the stylesheet in <head>, which the frame does not use.
  const html = theme.env.render(pageTemplate, { route, pd: { cssPath: '' }, labels });
  const classOf = (tag: string) => new RegExp(`<${tag}\\b[^>]*\\bclass="([^"]*)"`).exec(html)?.[1] ?? '';
  const body = /<body\b[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1];
  if (body === undefined) throw new Error('the page template wrote no <body>');
  return { title: /<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '', htmlClass: classOf('html'), bodyClass: classOf('body'), body };
}
