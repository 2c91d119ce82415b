// The embedded email default: an outbox folder with one `.eml` file per message, named
// `<UTC timestamp>-<sequence>-<id>.eml` so that sorting the names sorts the messages. Any mail
// client opens the files. Node-only (file system): core code imports `mailer.ts`, never this.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatEml, parseEml, type ParsedEml } from './eml.ts';
import type { EmailMessage, Mailer } from './mailer.ts';

export interface OutboxOptions {
  /** The From header. */
  from?: string;
  /** The clock for the Date header and the file name; the wall clock by default. */
  now?: () => number;
}

export const DEFAULT_FROM = 'Practice Digital <no-reply@practice-digital.localhost>';

export function outboxMailer(dir: string, o: OutboxOptions = {}): Mailer {
  const now = o.now ?? Date.now;
  let sequence = 0;
  return {
    async send(message: EmailMessage) {
      const date = new Date(now());
      // A keyed message's id comes from its key, so a second send with the same key finds the
      // first one's file and writes nothing, as Resend answers a repeated key with the first id.
      const id = message.idempotencyKey ? createHash('sha256').update(message.idempotencyKey).digest('hex').slice(0, 16) : randomBytes(8).toString('hex');
      if (message.idempotencyKey) {
        const existing = (await readdir(dir).catch(() => [] as string[])).find((n) => n.endsWith(`-${id}.eml`));
        if (existing) return { id };
      }
      const eml = formatEml(message, { from: o.from ?? DEFAULT_FROM, id, date });
      sequence = (sequence + 1) % 1_000_000;
      const stamp = date.toISOString().replace(/[-:]/g, '');
      const name = `${stamp}-${String(sequence).padStart(6, '0')}-${id}.eml`;
      await mkdir(dir, { recursive: true });
      // Written under a temporary name and renamed, so a reader never sees half a message.
      const temporary = path.join(dir, `.${name}.tmp`);
      await writeFile(temporary, eml, { mode: 0o600 });
      await rename(temporary, path.join(dir, name));
      return { id };
    },
  };
}

export interface OutboxMessage extends ParsedEml {
  /** The file's full path. */
  file: string;
}

/** Every message in the outbox, oldest first. A missing folder is an empty outbox. */
export async function readOutbox(dir: string): Promise<OutboxMessage[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort();
  const out: OutboxMessage[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    out.push({ ...parseEml(await readFile(file, 'utf8')), file });
  }
  return out;
}

/** The newest message to an address (compared without regard to case), if there is one. */
export async function newestMessageTo(dir: string, address: string): Promise<OutboxMessage | undefined> {
  const wanted = address.trim().toLowerCase();
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort().reverse();
  for (const name of names) {
    const file = path.join(dir, name);
    const message = parseEml(await readFile(file, 'utf8'));
    if (message.to === wanted) return { ...message, file };
  }
  return undefined;
}
