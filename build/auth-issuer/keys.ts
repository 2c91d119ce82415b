// The ES256 signing key: generated on first start and kept in `<dataDir>/auth/signing-key.json`
// (readable by the owner only), so tokens stay valid across restarts. Without a data folder the
// key lives for the process only.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { AuthIssuerConfigError } from './options.ts';
import { writeFileAtomic } from './store.ts';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** As published in the JWKS, in the shape Supabase publishes. */
  publicJwk: JWK;
}

interface KeyFile {
  kid: string;
  alg: 'ES256';
  created_at: string;
  private_jwk: JWK;
}

export async function loadOrCreateSigningKey(authDir: string | undefined, now: () => number): Promise<SigningKey> {
  const file = authDir ? path.join(authDir, 'signing-key.json') : undefined;
  if (file) {
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (text !== undefined) return fromFile(file, text);
  }
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const privateJwk = await exportJWK(privateKey);
  const key = await fromJwk(kid, privateJwk);
  if (file && authDir) {
    await mkdir(authDir, { recursive: true, mode: 0o700 });
    const content: KeyFile = { kid, alg: 'ES256', created_at: new Date(now()).toISOString(), private_jwk: privateJwk };
    await writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
  }
  return key;
}

async function fromFile(file: string, text: string): Promise<SigningKey> {
  try {
    const parsed = JSON.parse(text) as Partial<KeyFile>;
    if (parsed.alg !== 'ES256' || typeof parsed.kid !== 'string' || !parsed.private_jwk) throw new Error('not an ES256 key file');
    return await fromJwk(parsed.kid, parsed.private_jwk);
  } catch (e) {
    throw new AuthIssuerConfigError(
      `The auth issuer's signing key in ${file} could not be read (${(e as Error).message}). Delete the file to generate a new key; everyone will have to sign in again.`,
    );
  }
}

async function fromJwk(kid: string, privateJwk: JWK): Promise<SigningKey> {
  const { d: _private, ...publicPart } = privateJwk;
  const privateKey = (await importJWK({ ...privateJwk, alg: 'ES256' }, 'ES256')) as CryptoKey;
  const publicKey = (await importJWK({ ...publicPart, alg: 'ES256' }, 'ES256')) as CryptoKey;
  const publicJwk: JWK = {
    alg: 'ES256',
    crv: publicPart.crv,
    ext: true,
    key_ops: ['verify'],
    kid,
    kty: publicPart.kty,
    use: 'sig',
    x: publicPart.x,
    y: publicPart.y,
  };
  return { kid, privateKey, publicKey, publicJwk };
}
