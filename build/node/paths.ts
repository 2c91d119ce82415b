import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root: the folder holding package.json, two levels above this file. */
export const repoRoot = (): string => process.env.PD_ROOT ?? path.resolve(fileURLToPath(import.meta.url), '../../..');
