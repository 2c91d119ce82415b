// The part of Eleventy's API this project uses (Eleventy ships JavaScript without declarations).
declare module '@11ty/eleventy' {
  export interface UserConfig {
    addFilter(name: string, fn: (...args: any[]) => unknown): void;
    addGlobalData(name: string, value: unknown): void;
    addPlugin<O>(plugin: (config: UserConfig, options: O) => unknown, options?: O): void;
    setLibrary(name: string, library: unknown): void;
    setQuietMode(quiet: boolean): void;
    setUseTemplateCache(use: boolean): void;
    setDataFileSuffixes(suffixes: string[]): void;
    ignores: { add(glob: string): void };
  }
  export interface EleventyOptions {
    configPath?: string | false;
    quietMode?: boolean;
    config?: (config: UserConfig) => void;
  }
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    write(): Promise<unknown>;
    setIsVerbose(verbose: boolean): void;
    disableLogger(): void;
    toJSON(): Promise<unknown[]>;
  }
}
