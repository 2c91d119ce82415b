// A real `git http-backend` (the CGI that ships with git) on loopback, so the remote git store is
// tested against what git hosts speak, not a fake.
import { execFileSync, spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** Serves bare repositories under `root` with the real `git http-backend` CGI on loopback. */
export function serveGit(root: string): Promise<{ server: Server; url: string }> {
  const backend = join(execFileSync("git", ["--exec-path"], { encoding: "utf8" }).trim(), "git-http-backend");
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const child = spawn(backend, [], {
        env: {
          PATH: process.env.PATH ?? "",
          GIT_PROJECT_ROOT: root,
          GIT_HTTP_EXPORT_ALL: "1",
          PATH_INFO: decodeURIComponent(url.pathname),
          REQUEST_METHOD: req.method ?? "GET",
          QUERY_STRING: url.search.replace(/^\?/, ""),
          CONTENT_TYPE: req.headers["content-type"] ?? "",
          CONTENT_LENGTH: String(body.length),
          HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
          GIT_HTTP_MAX_REQUEST_BUFFER: "100M",
          REMOTE_ADDR: "127.0.0.1",
          REMOTE_USER: "tester",
        },
      });
      const out: Buffer[] = [];
      child.stdout.on("data", (c: Buffer) => out.push(c));
      child.stderr.resume();
      // The backend may exit before reading the whole body (e.g. after refusing a request).
      child.stdin.on("error", () => undefined);
      child.stdin.end(body);
      child.on("close", () => {
        const raw = Buffer.concat(out);
        const split = raw.indexOf("\r\n\r\n");
        const headerEnd = split >= 0 ? split : raw.indexOf("\n\n");
        const sepLength = split >= 0 ? 4 : 2;
        const headerText = raw.subarray(0, headerEnd).toString("latin1");
        let status = 200;
        const headers: Record<string, string> = {};
        for (const line of headerText.split(/\r?\n/)) {
          const i = line.indexOf(":");
          if (i < 0) continue;
          const name = line.slice(0, i).trim();
          const value = line.slice(i + 1).trim();
          if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
          else headers[name] = value;
        }
        res.writeHead(status, headers);
        res.end(raw.subarray(headerEnd + sepLength));
      });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

