import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../build/db/open-database.ts';
import { repo } from '../../test/support/demo-site.ts';
import { recordSecurityEvent, SecurityInputError, securityEvents } from './security-events.ts';

let opened: OpenedDatabase;
const user = '00000000-0000-4000-8000-000000000001';

beforeAll(async () => {
  opened = await openDatabase({ root: repo });
  await opened.owner.exec(`
    insert into public.practices (slug, ods_code, name, nation, contract_start) values
      ('riverside', 'Z99901', 'Riverside Medical Practice', 'england', '2026-01-01'),
      ('fellside', 'Z99902', 'Fellside Surgery', 'england', '2026-01-01');
  `);
});
afterAll(() => opened?.close());

describe('the security event log', () => {
  it('records events with their practice and detail, and lists them by practice, time and kind', async () => {
    const reasons: string[] = [];
    const db = { ...opened.db, asService: <T>(reason: string, fn: Parameters<typeof opened.db.asService<T>>[1]) => (reasons.push(reason), opened.db.asService(reason, fn)) };
    await recordSecurityEvent(db, { kind: 'sign_in', userId: user, email: 'manager@riverside.example.nhs.uk', practice: 'riverside', detail: { method: 'email', aal: 'aal1' } });
    await recordSecurityEvent(db, { kind: 'mfa.failed', userId: user, practice: 'riverside', detail: { attempts: 3, locked: false, factor: null } }, 'record a failed second factor at sign-in');
    await recordSecurityEvent(db, { kind: 'gateway.refused', practice: 'fellside', detail: { status: 403 } });
    expect(reasons).toEqual(['record a sign_in security event', 'record a failed second factor at sign-in', 'record a gateway.refused security event']);

    const riverside = await securityEvents(opened.db, { practice: 'riverside' });
    expect(riverside.map(({ id: _id, at: _at, ...e }) => e)).toEqual([
      { kind: 'sign_in', userId: user, email: 'manager@riverside.example.nhs.uk', practice: 'riverside', detail: { method: 'email', aal: 'aal1' } },
      { kind: 'mfa.failed', userId: user, practice: 'riverside', detail: { attempts: 3, locked: false, factor: null } },
    ]);
    expect(riverside[0]!.id).toBeLessThan(riverside[1]!.id);
    expect(Date.parse(riverside[0]!.at)).toBeGreaterThan(Date.now() - 60_000);

    expect((await securityEvents(opened.db, { kinds: ['gateway.refused'] })).map((e) => e.practice)).toEqual(['fellside']);
    expect(await securityEvents(opened.db, { since: new Date(Date.now() + 60_000) })).toEqual([]);
    expect((await securityEvents(opened.db, { until: new Date(Date.now() + 60_000), limit: 2 })).length).toBe(2);
  });

  it.each(['token', 'access_token', 'code', 'otpCode', 'client_secret', 'password', 'magicLink', 'api_key'])('refuses a detail key named like a credential: %s', async (key) => {
    const before = (await securityEvents(opened.db, {})).length;
    await expect(recordSecurityEvent(opened.db, { kind: 'sign_in', detail: { [key]: 'x' } })).rejects.toThrow(new RegExp(`key named "${key}".*credential`));
    expect((await securityEvents(opened.db, {})).length).toBe(before);
  });

  it('refuses a bad kind, an unknown practice, a non-UUID user and an oversized detail, saying how to fix each', async () => {
    await expect(recordSecurityEvent(opened.db, { kind: 'Sign In' })).rejects.toThrow(/not a security event kind: use lower-case words/);
    await expect(recordSecurityEvent(opened.db, { kind: 'sign_in', practice: 'nowhere' })).rejects.toThrow(/no practice "nowhere".*pd practices/);
    await expect(recordSecurityEvent(opened.db, { kind: 'sign_in', userId: 'bob' })).rejects.toThrow(/must be a UUID/);
    await expect(recordSecurityEvent(opened.db, { kind: 'sign_in', detail: { note: 'x'.repeat(3000) } })).rejects.toThrow(SecurityInputError);
    await expect(securityEvents(opened.db, { practice: 'nowhere' })).rejects.toThrow(/no practice "nowhere"/);
    await expect(securityEvents(opened.db, { limit: 0 })).rejects.toThrow(/limit must be a whole number/);
  });
});
