// GoCardless signs each webhook delivery: `Webhook-Signature` is the lower-case hex HMAC-SHA256
// of the raw body, keyed with the endpoint's secret. Checked with Web Crypto, whose HMAC verify
// compares in constant time, so a caller learns nothing from how long a wrong guess takes.

const signaturePattern = /^[0-9a-f]{64}$/;

export interface SignatureVerifier {
  /** True only when `header` is exactly the lower-case hex HMAC-SHA256 of `body`. */
  verify(body: Uint8Array<ArrayBuffer>, header: string | undefined): Promise<boolean>;
}

export function gocardlessSignatureVerifier(secret: string): SignatureVerifier {
  if (!secret) throw new Error('the GoCardless webhook secret is empty');
  // Imported once: the key never leaves Web Crypto and cannot be exported.
  const key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  return {
    async verify(body, header) {
      // GoCardless sends exactly 64 lower-case hex digits; anything else (upper case, base64,
      // truncated, padded) is not their signature, so it is refused before any comparison.
      if (header === undefined || !signaturePattern.test(header)) return false;
      const signature = new Uint8Array(32);
      for (let i = 0; i < 32; i++) signature[i] = parseInt(header.slice(i * 2, i * 2 + 2), 16);
      return crypto.subtle.verify('HMAC', await key, signature, body);
    },
  };
}
