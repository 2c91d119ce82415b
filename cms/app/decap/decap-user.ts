// What Decap keeps in the browser beyond the tab. It keeps the signed-in user in localStorage
// ("decap-cms-user") and shows its own login screen when it finds none; the page signs people in
// itself, so it writes that entry before Decap starts, holding only the backend's name and the
// person's name and email (never a token: the backend asks supabase-js for one on every call),
// and removes it whenever nobody is signed in. Decap also keeps a backup of unsaved changes in
// IndexedDB (localforage), offered back when the entry is opened again: kept when a sign-in
// merely ends, deleted when someone signs out, so the next person at a shared computer is never
// offered another's unsaved work.

export const backendName = 'practice-digital';
const storageKey = 'decap-cms-user';

export interface CmsUser {
  name: string;
  login: string;
}

export function rememberDecapUser(user: CmsUser): void {
  localStorage.setItem(storageKey, JSON.stringify({ backendName, name: user.name, login: user.login }));
}

export function forgetDecapUser(): void {
  localStorage.removeItem(storageKey);
}

/** Decap's backups of unsaved changes (decap-cms-lib-util keeps them with localforage's defaults). */
const backupDatabase = 'localforage';

/** Deletes them; call it where Decap is not running (it would hold the database open). */
export function forgetDecapBackups(): void {
  indexedDB.deleteDatabase(backupDatabase);
}
