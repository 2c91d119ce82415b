// Starts Decap CMS for one practice, once its person has signed in: the practice's own
// configuration (derived from the content model, lib/cms/decap-config.ts), the backend that calls
// the gateway as them, the three widgets, and previews drawn by the theme. The portal's page
// around the sign-in steps gives way to a slim bar (the practice, who is signed in, "Switch
// practice", "Sign out") above Decap.
import type { SupabaseClient } from '@supabase/supabase-js';
import CMS from 'decap-cms-app';
import { decapConfig } from '../../../lib/cms/decap-config.ts';
import type { PracticeChoice } from '../../portal/shared/api.ts';
import { themeEnvironment, type ThemeEnvironment } from '../preview/environment.ts';
import { forgetPublishedSite, previewTemplate } from '../preview/preview-template.ts';
import { OpeningHoursControl } from '../widgets/opening-hours.ts';
import { ReviewDateControl } from '../widgets/review-date.ts';
import { SupplierLinkControl } from '../widgets/supplier-link.ts';
import { practiceDigitalBackend } from './backend.ts';
import { editorBar } from './editor-bar.ts';
import { backendName, rememberDecapUser } from './decap-user.ts';
import { SignInEnded } from './sign-in-ended.ts';

export interface EditorOptions {
  practice: PracticeChoice;
  /** Whether the person works on other practices too. */
  canSwitch: boolean;
  email: string;
  client: SupabaseClient;
  signOut(): Promise<void>;
  /** Built files the editor loads, named by their content hash. */
  assets: { editorStylesheet: string; previewStylesheet: string; themeTemplates: string };
}

let started = false;

export function startEditor(o: EditorOptions): void {
  // Decap renders once per page; choosing another practice reloads the page.
  if (started) throw new Error('the editor has already started');
  started = true;
  const { slug } = o.practice;

  // Leaving Decap is a new page load: it cannot be stopped or started again in place.
  const signOut = async () => {
    await o.signOut();
    location.assign('/cms/?signed-out');
  };
  const bar = editorBar({ practice: o.practice, email: o.email, canSwitch: o.canSwitch, onSwitch: () => location.assign('/cms/'), onSignOut: signOut });
  takeOverPage(o.assets.editorStylesheet, bar.element);
  document.title = `${o.practice.name} - Content editor - Practice Digital portal`;

  const user = async () => {
    const { data } = await o.client.auth.getSession();
    const person = data.session?.user;
    if (!person?.email) return undefined;
    const name = typeof person.user_metadata?.name === 'string' && person.user_metadata.name ? person.user_metadata.name : person.email;
    return { name, login: person.email };
  };
  rememberDecapUser({ name: o.email, login: o.email });
  CMS.registerBackend(
    backendName,
    practiceDigitalBackend({
      practice: slug,
      // Asked for on every call: supabase-js refreshes the token before it expires.
      accessToken: async () => (await o.client.auth.getSession()).data.session?.access_token,
      user,
      signOut,
      onSignInEnded: bar.signInEnded,
      authComponent: SignInEnded,
    }),
  );

  // Decap's declared types for a control (CmsWidgetControlProps) are narrower than what it passes.
  CMS.registerWidget('opening-hours', OpeningHoursControl as never);
  CMS.registerWidget('supplier-link', SupplierLinkControl as never);
  CMS.registerWidget('review-date', ReviewDateControl as never);

  const config = decapConfig({ practice: slug, backend: { name: backendName, proxy_url: '/api/cms', branch: 'main' } });
  const collections = config.collections as { name: string; files?: { name: string }[] }[];
  let theme: Promise<ThemeEnvironment> | undefined;
  const template = previewTemplate({
    practice: slug,
    collections: collections.map((c) => c.name),
    theme: () =>
      (theme ??= fetch(o.assets.themeTemplates, { credentials: 'omit' })
        .then((r) => {
          if (!r.ok) throw new Error(`the theme's templates could not be loaded (status ${r.status})`);
          return r.json() as Promise<Record<string, string>>;
        })
        .then(themeEnvironment)),
  });
  CMS.registerPreviewStyle(o.assets.previewStylesheet);
  // A folder collection's template is named after the collection; a file's after the file.
  for (const c of collections) for (const name of c.files ? c.files.map((f) => f.name) : [c.name]) CMS.registerPreviewTemplate(name, template as never);
  CMS.registerEventListener({ name: 'postPublish', handler: () => forgetPublishedSite() });

  markDecapFailuresHandled();
  CMS.init({ config: config as never });
}

/**
 * Decap shows a failed load as a notification, then rejects with its own failure action (a
 * Redux action such as ENTRIES_FAILURE) that nothing awaits. The person has been told; those
 * rejections are marked handled so that the console keeps only real errors.
 */
function markDecapFailuresHandled(): void {
  window.addEventListener('unhandledrejection', (e) => {
    const reason = e.reason as { type?: unknown } | null;
    if (reason && typeof reason === 'object' && !(reason instanceof Error) && typeof reason.type === 'string' && reason.type.endsWith('_FAILURE')) e.preventDefault();
  });
}

/** The sign-in steps' page (the portal's header, footer and stylesheet) makes way for Decap's own. */
function takeOverPage(stylesheet: string, bar: HTMLElement): void {
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]')) link.disabled = true;
  const own = document.createElement('link');
  own.rel = 'stylesheet';
  own.href = stylesheet;
  document.head.append(own);
  // The live region stays (results are still announced through it), out of sight without the portal's stylesheet.
  const status = document.getElementById('status');
  status?.classList.add('pd-visually-hidden');
  const root = document.createElement('div');
  root.id = 'nc-root';
  document.body.className = 'pd-cms';
  document.body.replaceChildren(bar, root, ...(status ? [status] : []));
}
