// The parts of two Decap packages the backend uses. Both are dependencies of decap-cms-app
// (nested under its node_modules, at the exact versions it was built with), so the portal build
// resolves them from there rather than installing second copies; they ship no type declarations.
declare module 'decap-cms-backend-proxy' {
  export interface ProxyPayload {
    action: string;
    params: Record<string, unknown>;
  }
  /** Decap's proxy backend (decap-cms-backend-proxy/src/implementation.ts). */
  export class ProxyBackend {
    constructor(config: { backend: Record<string, unknown>; media_folder?: string }, options?: Record<string, unknown>);
    proxyUrl: string;
    branch: string;
    request(payload: ProxyPayload): Promise<any>;
    authenticate(credentials?: unknown): Promise<unknown>;
    restoreUser(stored?: unknown): Promise<unknown>;
    logout(): Promise<void> | null;
    authComponent(): unknown;
    entriesByFolder(folder: string, extension: string, depth: number): Promise<any>;
    entriesByFiles(files: { path: string; label?: string }[]): Promise<any>;
    getEntry(path: string): Promise<any>;
    persistEntry(entry: unknown, options: unknown): Promise<any>;
  }
}

declare module 'decap-cms-lib-util' {
  /** What Decap's backends throw when their server refuses (status 0: it could not be reached). */
  export class APIError extends Error {
    constructor(message: string, status: number, api: string, meta?: Record<string, unknown>);
    status: number;
    api: string;
    meta: Record<string, unknown>;
  }
}
