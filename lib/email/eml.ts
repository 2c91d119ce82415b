// RFC 5322 messages with a MIME multipart/alternative body (plain text + HTML), written and read
// back. The writer is what the local outbox stores; the reader lets tests and developers find a
// message and what is in it. Runtime-neutral: no Node imports here.
import { EmailAddressError, isEmailAddress, type EmailMessage } from './mailer.ts';

const CRLF = '\r\n';

export interface EmlOptions {
  /** The From header, e.g. `Practice Digital <no-reply@practice-digital.localhost>`. */
  from: string;
  /** A unique id; becomes the Message-ID and the MIME boundary. */
  id: string;
  date: Date;
}

/** One message as RFC 5322 text with CRLF line endings. */
export function formatEml(message: EmailMessage, o: EmlOptions): string {
  for (const [name, value] of [['to', message.to], ['subject', message.subject], ['from', o.from]] as const)
    if (/[\r\n]/.test(value)) throw new EmailAddressError(`The ${name} of an email may not contain a line break`);
  if (!isEmailAddress(message.to)) throw new EmailAddressError(`"${message.to}" is not an email address`);
  if (!/^[A-Za-z0-9._-]+$/.test(o.id)) throw new Error(`An email id may only contain letters, digits, ".", "_" and "-", not "${o.id}"`);
  const boundary = `=_alt_${o.id}`;
  const headers = [
    `From: ${o.from}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeaderWord(message.subject)}`,
    `Date: ${rfc5322Date(o.date)}`,
    `Message-ID: <${o.id}@outbox.localhost>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) => {
    // Plain ASCII with short lines goes as it is, so the file stays readable (and its links
    // copyable) in a text editor; anything else is quoted-printable.
    const lines = body.replace(/\r\n|\r/g, '\n').split('\n');
    const plain = lines.every((l) => /^[\x20-\x7e\t]*$/.test(l) && l.length <= 998 && !l.startsWith(`--${boundary}`));
    const [encoding, encoded] = plain ? ['7bit', lines.join(CRLF)] : ['quoted-printable', encodeQuotedPrintable(body)];
    return [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, `Content-Transfer-Encoding: ${encoding}`, '', encoded].join(CRLF);
  };
  return [...headers, '', part('text/plain', message.text), part('text/html', message.html), `--${boundary}--`, ''].join(CRLF);
}

export interface ParsedEml {
  /** Header names in lower case; a repeated header keeps its first value. */
  headers: Record<string, string>;
  from: string;
  /** The recipient's bare address, lower case. */
  to: string;
  subject: string;
  date: Date | undefined;
  messageId: string;
  text: string | undefined;
  html: string | undefined;
}

/** Reads a message written by `formatEml` (and simple single-part or multipart messages generally). */
export function parseEml(source: string): ParsedEml {
  const { headers, body } = splitEntity(source);
  const parts: { type: string; body: string }[] = [];
  collectParts(headers, body, parts);
  const date = headers.date ? new Date(headers.date) : undefined;
  return {
    headers,
    from: headers.from ?? '',
    to: bareAddress(headers.to ?? ''),
    subject: decodeHeaderWords(headers.subject ?? ''),
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
    messageId: (headers['message-id'] ?? '').replace(/^<|>$/g, ''),
    text: parts.find((p) => p.type === 'text/plain')?.body,
    html: parts.find((p) => p.type === 'text/html')?.body,
  };
}

/** The first run of exactly `digits` digits in a text (a one-time code), if any. */
export function extractCode(text: string, digits = 6): string | undefined {
  return new RegExp(`(?<![0-9])[0-9]{${digits}}(?![0-9])`).exec(text)?.[0];
}

/** Every http(s) address in a text, in order. */
export function extractLinks(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"')\]]+/g)].map((m) => m[0]);
}

// --- writing -------------------------------------------------------------------------------

function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

/** RFC 2047: a header value with anything other than printable ASCII goes as one base64 word. */
function encodeHeaderWord(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  return `=?UTF-8?B?${base64(new TextEncoder().encode(value))}?=`;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** RFC 2045 quoted-printable, UTF-8, CRLF line breaks, lines of at most 76 characters. */
export function encodeQuotedPrintable(text: string): string {
  const lines = text.replace(/\r\n|\r/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const bytes = new TextEncoder().encode(line);
    let current = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      const last = i === bytes.length - 1;
      const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      const token = literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
      if (current.length + token.length > 75) {
        out.push(`${current}=`);
        current = '';
      }
      current += token;
    }
    out.push(current);
  }
  return out.join(CRLF);
}

// --- reading -------------------------------------------------------------------------------

function splitEntity(source: string): { headers: Record<string, string>; body: string } {
  const normalised = source.replace(/\r\n|\r/g, '\n');
  const end = normalised.indexOf('\n\n');
  const head = end === -1 ? normalised : normalised.slice(0, end);
  const body = end === -1 ? '' : normalised.slice(end + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function collectParts(headers: Record<string, string>, body: string, into: { type: string; body: string }[]): void {
  const contentType = headers['content-type'] ?? 'text/plain';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) return;
    const sections = body.split(`--${boundary}`);
    // The first section is the preamble; the one after the closing delimiter starts with "--".
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      const part = splitEntity(section.replace(/^[ \t]*\n/, ''));
      collectParts(part.headers, part.body.replace(/\n$/, ''), into);
    }
    return;
  }
  const charset = /charset="?([^";]+)"?/i.exec(contentType)?.[1] ?? 'utf-8';
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  into.push({ type, body: decodeBody(body, encoding, charset) });
}

function decodeBody(body: string, encoding: string, charset: string): string {
  const decoder = new TextDecoder(charset);
  if (encoding === 'quoted-printable') return decoder.decode(decodeQuotedPrintable(body));
  if (encoding === 'base64') return decoder.decode(fromBase64(body.replace(/\s+/g, '')));
  return body;
}

export function decodeQuotedPrintable(text: string): Uint8Array {
  const joined = text.replace(/\r\n|\r/g, '\n').replace(/=\n/g, '');
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < joined.length; i++) {
    const ch = joined[i]!;
    const hex = joined.slice(i + 1, i + 3);
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (ch === '\n') {
      bytes.push(13, 10);
    } else {
      bytes.push(...encoder.encode(ch));
    }
  }
  // CRLF inside a decoded text part reads better as LF.
  return Uint8Array.from(bytes.filter((b, i) => !(b === 13 && bytes[i + 1] === 10)));
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function decodeHeaderWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, kind: string, data: string) => {
    const decoder = new TextDecoder(charset);
    if (kind.toUpperCase() === 'B') return decoder.decode(fromBase64(data));
    return decoder.decode(decodeQuotedPrintable(data.replace(/_/g, ' ')));
  });
}

function bareAddress(value: string): string {
  const angle = /<([^>]+)>/.exec(value)?.[1];
  return (angle ?? value).trim().toLowerCase();
}
