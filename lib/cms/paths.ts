// Every path the CMS gateway is given comes from the browser, so every one is checked here before
// it reaches the git store: it must name a file inside the caller's own practice folder. Anything
// that could point elsewhere (traversal, encoded traversal, absolute paths, backslashes, control
// characters, another practice, the .git folder) is refused, not repaired.

export class PathError extends Error {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`"${path.slice(0, 200)}" ${reason}`);
    this.name = 'PathError';
    this.path = path;
  }
}

const slugPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Returns the repository path of `requested` if it lies inside `content/practices/<practice>/`.
 * `requested` may be repository-relative (`content/practices/riverside/pages/x.md`) or relative to
 * the practice folder (`pages/x.md`).
 */
export function practicePath(practice: string, requested: string): string {
  if (!slugPattern.test(practice)) throw new PathError(practice, 'is not a practice');
  if (typeof requested !== 'string' || !requested) throw new PathError(String(requested), 'is not a path');
  if (requested.length > 400) throw new PathError(requested, 'is too long');
  // Decode repeatedly, so `%252e%252e` cannot hide `..` from the checks below.
  let decoded = requested;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(decoded); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      throw new PathError(requested, 'is not a valid path');
    }
  }
  if (/[\u0000-\u001f\u007f]/.test(decoded)) throw new PathError(requested, 'contains control characters');
  if (decoded.includes('\\')) throw new PathError(requested, 'contains a backslash; use / between folders');
  if (decoded.startsWith('/') || /^[a-z]:/i.test(decoded)) throw new PathError(requested, 'is an absolute path');
  const parts = decoded.split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === '')) throw new PathError(requested, 'is not a plain path: it has "..", "." or an empty part');
  if (parts.some((p) => p.toLowerCase() === '.git')) throw new PathError(requested, 'points into git itself');
  const base = `content/practices/${practice}/`;
  const full = decoded.startsWith('content/') ? decoded : base + decoded;
  if (!full.startsWith(base) || full.length === base.length) throw new PathError(requested, `is outside this practice's folder (${base})`);
  return full;
}
