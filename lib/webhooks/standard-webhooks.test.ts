import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { importWebhookSecret, signWebhook, verifyWebhook, WebhookVerificationError, type WebhookFailure } from './standard-webhooks.ts';

// Every case is put to this verifier and to the official `standardwebhooks` package, which must agree.
const secretBytes = crypto.getRandomValues(new Uint8Array(32));
const base64Secret = btoa(String.fromCharCode(...secretBytes));
const supabaseSecret = `v1,whsec_${base64Secret}`;
const official = new Webhook(`whsec_${base64Secret}`);
const otherOfficial = new Webhook(`whsec_${btoa('a different secret, 32 bytes long')}`);

const body = JSON.stringify({ user: { email: 'jo@example.org' }, email_data: { token: '123456' } });
const id = 'msg_2k3J8fQk9x';
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Case {
  id?: string;
  timestamp?: string;
  signature?: string;
  body?: string;
}

async function ours(c: Case): Promise<WebhookFailure | 'ok'> {
  try {
    const headers = { id: c.id, timestamp: c.timestamp, signature: c.signature };
    await verifyWebhook(await importWebhookSecret(supabaseSecret), headers, new TextEncoder().encode(c.body ?? body));
    return 'ok';
  } catch (e) {
    if (e instanceof WebhookVerificationError) return e.reason;
    throw e;
  }
}

function theirs(c: Case): 'ok' | 'refused' {
  const headers: Record<string, string> = {};
  if (c.id !== undefined) headers['webhook-id'] = c.id;
  if (c.timestamp !== undefined) headers['webhook-timestamp'] = c.timestamp;
  if (c.signature !== undefined) headers['webhook-signature'] = c.signature;
  try {
    official.verify(c.body ?? body, headers);
    return 'ok';
  } catch {
    return 'refused';
  }
}

function signed(at = nowSeconds(), by = official, signedBody = body, signedId = id): Case {
  return { id: signedId, timestamp: String(at), signature: by.sign(signedId, new Date(at * 1000), signedBody), body: signedBody };
}

describe('Standard Webhooks verification, cross-checked with the official package', () => {
  it('accepts what the official package signs, with the secret in Supabase form', async () => {
    const c = signed();
    expect(theirs(c)).toBe('ok');
    expect(await ours(c)).toBe('ok');
  });

  it('accepts a header holding several signatures when one matches (secret rotation)', async () => {
    const good = signed();
    const c = { ...good, signature: `${otherOfficial.sign(id, new Date(), body)} ${good.signature}` };
    expect(theirs(c)).toBe('ok');
    expect(await ours(c)).toBe('ok');
  });

  it('accepts bodies with non-ASCII text, signed as UTF-8 bytes', async () => {
    const c = signed(nowSeconds(), official, JSON.stringify({ practice: 'Ysgol Feddygol Caerdydd – “Tŷ”' }));
    expect(theirs(c)).toBe('ok');
    expect(await ours(c)).toBe('ok');
  });

  it('produces signatures the official package accepts', async () => {
    const at = nowSeconds();
    const signature = await signWebhook(await importWebhookSecret(supabaseSecret), id, at, body);
    expect(signature).toBe(official.sign(id, new Date(at * 1000), body));
    expect(theirs({ id, timestamp: String(at), signature, body })).toBe('ok');
  });

  const good = () => signed();
  const refusals: [string, () => Case, WebhookFailure][] = [
    ['a changed body', () => ({ ...good(), body: body.replace('123456', '654321') }), 'bad-signature'],
    ['a body with a byte added', () => ({ ...good(), body: `${body} ` }), 'bad-signature'],
    ['a changed id', () => ({ ...good(), id: `${id}x` }), 'bad-signature'],
    ['a changed timestamp', () => { const c = good(); return { ...c, timestamp: String(Number(c.timestamp) - 1) }; }, 'bad-signature'],
    ['a wrong secret', () => signed(nowSeconds(), otherOfficial), 'bad-signature'],
    ['a truncated signature', () => { const c = good(); return { ...c, signature: c.signature!.slice(0, -4) }; }, 'bad-signature'],
    ['a signature without its padding', () => { const c = good(); return { ...c, signature: c.signature!.replace(/=+$/, '') }; }, 'bad-signature'],
    ['a base64url re-encoded signature', () => reencoded(good()), 'bad-signature'],
    ['a signature without its version', () => { const c = good(); return { ...c, signature: c.signature!.slice(3) }; }, 'bad-signature'],
    ['a signature with another version', () => { const c = good(); return { ...c, signature: c.signature!.replace(/^v1,/, 'v2,') }; }, 'bad-signature'],
    ['an empty signature list', () => ({ ...good(), signature: ' ' }), 'bad-signature'],
    ['a timestamp six minutes old (replay)', () => signed(nowSeconds() - 360), 'too-old'],
    ['a timestamp six minutes ahead', () => signed(nowSeconds() + 360), 'too-new'],
    ['a timestamp that is not a number', () => ({ ...good(), timestamp: 'yesterday' }), 'bad-timestamp'],
    ['no webhook-id', () => ({ ...good(), id: undefined }), 'missing-headers'],
    ['no webhook-timestamp', () => ({ ...good(), timestamp: undefined }), 'missing-headers'],
    ['no webhook-signature', () => ({ ...good(), signature: undefined }), 'missing-headers'],
  ];

  for (const [name, make, reason] of refusals)
    it(`refuses ${name}, as the official package does`, async () => {
      const c = make();
      expect(theirs(c)).toBe('refused');
      expect(await ours(c)).toBe(reason);
    });

  it('accepts timestamps just inside the five-minute window both ways', async () => {
    for (const at of [nowSeconds() - 290, nowSeconds() + 290]) {
      const c = signed(at);
      expect(theirs(c)).toBe('ok');
      expect(await ours(c)).toBe('ok');
    }
  });

  it('refuses a malformed or empty secret at import', async () => {
    await expect(importWebhookSecret('v1,whsec_')).rejects.toThrow(/empty/);
    await expect(importWebhookSecret('v1,whsec_not base64!')).rejects.toThrow(/base64/);
  });

  it('names the reason in its error, never a header value', async () => {
    const c = good();
    const key = await importWebhookSecret(supabaseSecret);
    const error = await verifyWebhook(key, { id: c.id, timestamp: c.timestamp, signature: 'v1,AAAA' }, new TextEncoder().encode(body)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(String((error as Error).message)).not.toContain(c.id!);
    expect(String((error as Error).message)).not.toContain('AAAA');
  });
});

function reencoded(c: Case): Case {
  const [, b64] = c.signature!.split(',');
  return { ...c, signature: `v1,${b64!.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}` };
}
