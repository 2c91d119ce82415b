// JSON in and out for the issuer's route files.
import type { Context } from 'hono';
import { errors } from './errors.ts';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers } });
}

/** The request's JSON object body; an empty body is `{}`, anything else GoTrue's `bad_json`. */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
  const raw = await c.req.text();
  if (!raw.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw errors.badJson();
  }
  if (!isPlainObject(parsed)) throw errors.badJson();
  return parsed;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
