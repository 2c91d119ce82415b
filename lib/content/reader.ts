/** Read access to a content tree: a folder on disk, a git checkout, or an in-memory copy. */
export interface ContentReader {
  /** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
  listFiles(dir: string): Promise<string[]>;
  readText(file: string): Promise<string>;
  readBytes(file: string): Promise<Uint8Array>;
}
