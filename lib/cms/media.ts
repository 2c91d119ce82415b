// What may be uploaded as media: the types the site build publishes, recognised by their first
// bytes as well as their name (a renamed file is refused), under a size limit. SVG is refused
// outright: it can carry script, and practices have no need for it.
import { mediaTypes } from '../content/load-practice.ts';

export const maxMediaBytes = 5 * 1024 * 1024;

const signatures: Record<string, (b: Uint8Array) => boolean> = {
  'image/png': (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => starts(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => starts(b, [0x47, 0x49, 0x46, 0x38]),
  'image/webp': (b) => starts(b, [0x52, 0x49, 0x46, 0x46]) && ascii(b, 8, 'WEBP'),
  'application/pdf': (b) => ascii(b, 0, '%PDF-'),
};

function starts(b: Uint8Array, sig: number[]): boolean {
  return sig.every((v, i) => b[i] === v);
}
function ascii(b: Uint8Array, at: number, text: string): boolean {
  return [...text].every((c, i) => b[at + i] === c.charCodeAt(0));
}

/** Undefined if the upload is acceptable; otherwise why not, in words for the person uploading. */
export function mediaProblem(path: string, bytes: Uint8Array, limit = maxMediaBytes): string | undefined {
  const name = path.split('/').pop() ?? '';
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === 'svg' || ext === 'svgz') return `${name}: SVG files are not accepted, because they can carry code; upload a PNG or JPEG instead`;
  const type = ext ? mediaTypes[ext] : undefined;
  if (!type) return `${name}: only ${Object.keys(mediaTypes).join(', ')} files can be uploaded`;
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) return `${name}: use only letters, numbers, dots, hyphens and underscores in the file name`;
  if (bytes.byteLength === 0) return `${name}: the file is empty`;
  if (bytes.byteLength > limit) return `${name}: the file is ${(bytes.byteLength / 1048576).toFixed(1)} MB; the limit is ${limit / 1048576} MB — make it smaller and try again`;
  if (!signatures[type]!(bytes)) return `${name}: the file's contents are not a ${ext!.toUpperCase()} file; save it again in that format`;
  return undefined;
}
