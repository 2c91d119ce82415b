// The local auth issuer: the embedded default for Supabase Auth. It serves enough of GoTrue's API
// for supabase-js to sign in unchanged, writes sign-in emails to the local outbox (or sends them
// through a Send Email hook, as Supabase does), listens on loopback only and refuses to start in
// production. See docs/local-auth.md.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createAuthIssuer, type AuthIssuerInstance } from './app.ts';
import { checkListenAddress, originFor, refuseProduction, type AuthIssuerOptions } from './options.ts';

export { authIssuerApp, createAuthIssuer, type AuthIssuerInstance } from './app.ts';
export { AuthIssuerConfigError, type AuthIssuerAppOptions, type AuthIssuerOptions, type SendEmailHookOptions } from './options.ts';
export { ACCESS_TOKEN_SECONDS, MAX_CODE_ATTEMPTS, OTP_VALID_MS, RESEND_INTERVAL_MS, type FactorJson, type SessionJson, type UserJson } from './service.ts';
export { MFA_CHALLENGE_VALID_MS, MFA_LOCK_MS, MFA_MAX_ATTEMPTS, MFA_MAX_FACTORS, MFA_UNVERIFIED_FACTOR_MS, type ChallengeResponse, type EnrolResponse } from './mfa.ts';
export type { SecurityEvent, SecurityEventHandler, SecurityEventKind } from './security-events.ts';

export interface RunningAuthIssuer {
  /** The Supabase URL to give `createClient` (supabase-js adds `/auth/v1`). */
  url: string;
  /** The JWT `iss`: `<url>/auth/v1`. */
  issuer: string;
  jwksUrl: string;
  port: number;
  /** The id of the user with this address, created if new: for seeding local demo accounts. */
  ensureUser(email: string): Promise<string>;
  close(): Promise<void>;
}

export async function startAuthIssuer(o: AuthIssuerOptions): Promise<RunningAuthIssuer> {
  refuseProduction(o.env ?? process.env);
  checkListenAddress(o.host, o.port);

  // Listen first (port 0 picks one), then build the app for the address actually bound.
  let instance: AuthIssuerInstance | undefined;
  const server = createAdaptorServer({
    hostname: o.host,
    fetch: (request) => (instance ? instance.app.fetch(request) : new Response('Starting\n', { status: 503 })),
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((e: NodeJS.ErrnoException) => {
    throw new Error(
      e.code === 'EADDRINUSE'
        ? `The local auth issuer could not listen on ${o.host}:${o.port}: the port is in use. Choose another port.`
        : `The local auth issuer could not listen on ${o.host}:${o.port}: ${e.message}`,
    );
  });
  const port = (server.address() as AddressInfo).port;
  const url = (o.publicUrl ?? originFor(o.host, port)).replace(/\/$/, '');
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  try {
    instance = await createAuthIssuer({ ...o, publicUrl: url });
  } catch (e) {
    await close();
    throw e;
  }
  const log = o.log ?? ((line: string) => console.log(line));
  log(`auth issuer: local development sign-in at ${url}/auth/v1 (emails go ${o.sendEmailHook ? 'through the Send Email hook' : `to ${o.outboxDir ?? 'the configured mailer'}`})`);
  const running = instance;
  return {
    url,
    issuer: running.issuer,
    jwksUrl: running.jwksUrl,
    port,
    ensureUser: (email) => running.service.ensureUser(email.toLowerCase()),
    close: async () => {
      await close();
      await running.flush();
    },
  };
}
