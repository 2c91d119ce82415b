// How every per-practice portal page begins: the portal's client, sign-in when there is no
// session, then the practice (chosen when the person works on several). `open` draws the page.
import type { SupabaseClient } from '@supabase/supabase-js';
import { ApiError, portalApi, type PortalApi, type PracticeChoice } from './api.ts';
import { loadConfig, portalClient } from './client.ts';
import { button, h, sentence } from './dom.ts';
import { setupPage, type Page } from './page.ts';
import { withSecondStep } from './second-step.ts';
import { showSignIn } from './sign-in.ts';

export interface PracticePage {
  page: Page;
  client: SupabaseClient;
  api: PortalApi;
  /** Back to sign-in, telling the person why (an expired session, say). */
  signIn(notice?: string): void;
  fatal(message: string): void;
  /** An error as a sentence for people. */
  refused(e: unknown): string;
  /** Handles a 401 by going back to sign-in; otherwise shows the problem as fatal. */
  failed(e: unknown): void;
}

export interface PracticePageOptions {
  signInHeading: string;
  signInIntro: string;
  /** What the practice picker asks. */
  chooseHeading: string;
  open(p: PracticePage, practice: PracticeChoice): void | Promise<void>;
}

export const refused = (e: unknown): string => sentence(e instanceof Error ? e.message : String(e));

export async function startPracticePage(o: PracticePageOptions): Promise<void> {
  const page = setupPage();
  let client: SupabaseClient;
  const fatal = (message: string) =>
    page.show('Something went wrong', h('h1', {}, 'Sorry, there is a problem with the portal'), h('p', {}, `${sentence(message)}.`), h('p', {}, 'Try again later.'));
  try {
    client = portalClient(await loadConfig());
  } catch (e) {
    return fatal((e as Error).message);
  }
  const api = portalApi(client);
  const p: PracticePage = {
    page,
    client,
    api,
    fatal,
    refused,
    signIn(notice) {
      showSignIn({
        page,
        client,
        heading: o.signInHeading,
        intro: o.signInIntro,
        linkNote: 'The email also has a sign-in link: it opens the members page.',
        redirectTo: new URL('/members/', location.origin).href,
        notice,
        onSignedIn: gate,
      });
    },
    failed(e) {
      if (e instanceof ApiError && e.status === 401) return p.signIn(`${refused(e)}.`);
      fatal(refused(e));
    },
  };
  async function choose(): Promise<void> {
    let practices: PracticeChoice[];
    try {
      practices = (await api.practices()).filter((x) => x.role !== null);
    } catch (e) {
      return p.failed(e);
    }
    if (practices.length === 0) return page.show('No practice', h('h1', {}, 'You do not work on a practice yet'), h('p', {}, 'Ask your practice manager to invite you.'));
    if (practices.length === 1) return void o.open(p, practices[0]!);
    const list = h('ul', { class: 'nhsuk-list' });
    for (const practice of practices) {
      const b = button(practice.name, { variant: 'secondary' });
      b.addEventListener('click', () => void o.open(p, practice));
      list.append(h('li', {}, b));
    }
    page.show('Choose a practice', h('h1', {}, o.chooseHeading), list);
  }
  // The second sign-in step first, when it is due (also for a session restored from before).
  const gate = withSecondStep(page, client, choose, () => p.signIn('You have signed out.'));
  const { data } = await client.auth.getSession();
  if (data.session) await gate(data.session);
  else p.signIn();
}
