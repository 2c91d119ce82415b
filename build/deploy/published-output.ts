// What a deploy compares: the revision's files as patients receive them, less the one line that
// differs between two builds of the same content — security.txt's Expires, which is the build
// time plus 330 days (decision 0008). A revision's own contentHash covers that line too, so two
// builds of one commit an hour apart never have the same contentHash; their output hash is equal.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { contentHashOf, hashFolder, type Manifest } from '../publish/revision-store.ts';
import { DeployError } from './settings.ts';

export const securityTxt = '.well-known/security.txt';

export interface PublishedOutput {
  /** sha256 over every file, with security.txt's Expires line left out. */
  outputHash: string;
  /** The Expires of the revision's security.txt (ISO time), when it has one. */
  securityTxtExpires?: string;
}

/** Reads the revision folder, checks it still matches its manifest, and hashes what a deploy uploads. */
export async function publishedOutput(folder: string, manifest: Manifest): Promise<PublishedOutput> {
  const actual = await hashFolder(folder);
  if (actual.contentHash !== manifest.contentHash)
    throw new DeployError(
      `the files of ${manifest.practice} revision ${manifest.revision} no longer match its manifest (something changed them after the build); build again with "pd build --practice ${manifest.practice}"`,
    );
  const files = { ...manifest.files };
  let securityTxtExpires: string | undefined;
  if (files[securityTxt]) {
    const text = await readFile(path.join(folder, securityTxt), 'utf8');
    securityTxtExpires = /^Expires:[ \t]*(\S+)[ \t]*$/m.exec(text)?.[1];
    files[securityTxt] = createHash('sha256').update(text.replace(/^Expires:.*(?:\r?\n)?/m, '')).digest('hex');
  }
  return { outputHash: contentHashOf(files), ...(securityTxtExpires ? { securityTxtExpires } : {}) };
}
