import { InvalidPathError } from "./types.ts";

/**
 * Normalises a repository-relative file path and refuses anything that could escape the
 * repository or be read differently by another tool: `..`, absolute paths, backslashes, NUL and
 * other control characters, and the `.git` directory. `./` segments and duplicate slashes are
 * dropped. An empty result is refused unless `allowRoot` (used for directory listings).
 */
export function normalizePath(input: string, options: { allowRoot?: boolean } = {}): string {
  if (typeof input !== "string") throw new InvalidPathError("Path must be a string.");
  const show = JSON.stringify(input);
  if (/[\u0000-\u001f\u007f]/.test(input)) {
    throw new InvalidPathError(`Path ${show} contains a NUL or control character; use plain file names.`);
  }
  if (input.includes("\\")) {
    throw new InvalidPathError(`Path ${show} contains a backslash; use forward slashes.`);
  }
  if (input.startsWith("/") || /^[A-Za-z]:/.test(input)) {
    throw new InvalidPathError(`Path ${show} is absolute; give it relative to the repository root.`);
  }
  const segments: string[] = [];
  for (const segment of input.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      throw new InvalidPathError(`Path ${show} contains "..", which could leave the repository; remove it.`);
    }
    if (segment.toLowerCase() === ".git") {
      throw new InvalidPathError(`Path ${show} points into the .git directory, which the store never writes or reads.`);
    }
    segments.push(segment);
  }
  if (segments.length === 0 && !options.allowRoot) {
    throw new InvalidPathError(`Path ${show} is empty; give a file path such as "content/practices/<slug>/index.md".`);
  }
  return segments.join("/");
}

const BRANCH_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\/-]*$/;

/** Validates a short branch name (no `refs/heads/` prefix) by git's check-ref-format rules. */
export function validateBranch(name: string): string {
  const show = JSON.stringify(name);
  if (
    typeof name !== "string" ||
    !BRANCH_PATTERN.test(name) ||
    name.includes("..") ||
    name.includes("//") ||
    name.includes("/.") ||
    name.endsWith("/") ||
    name.endsWith(".") ||
    name.endsWith(".lock") ||
    name.includes("@{") ||
    name === "HEAD"
  ) {
    throw new InvalidPathError(
      `Branch name ${show} is not valid; use letters, digits, ".", "_", "-" and "/" (e.g. "cms/riverside/opening-hours").`,
    );
  }
  return name;
}

export function isOid(ref: string): boolean {
  return /^[0-9a-f]{40}$/.test(ref);
}
