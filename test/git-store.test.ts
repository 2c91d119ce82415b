import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import * as fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import http from "isomorphic-git/http/node";
import { serveGit } from "./support/git-http.ts";
import type { HttpClient } from "isomorphic-git";
import {
  ConflictError,
  InvalidPathError,
  createLocalGitStore,
  createRemoteGitStore,
  normalizePath,
  type GitStore,
} from "../lib/git-store/index.ts";

const person = { name: "Asha Patel", email: "asha@riverside.example" };
const platform = { name: "Practice Digital", email: "cms@platform.example" };
const temps: string[] = [];

function run(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Seed", "-c", "user.email=seed@example.test", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();
}

/** A fresh non-bare repository on `main` with two committed files. */
function seedRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "git-store-"));
  temps.push(dir);
  run(dir, "init", "-q", "-b", "main");
  mkdirSync(join(dir, "content/practices/riverside"), { recursive: true });
  writeFileSync(join(dir, "content/practices/riverside/index.md"), "# Riverside\n");
  writeFileSync(join(dir, "content/practices/riverside/hours.md"), "Mon-Fri 8-6.30\n");
  run(dir, "add", ".");
  run(dir, "commit", "-q", "-m", "Seed");
  return dir;
}

/** What a draft needs from either adapter: its branch listed, its changes against main, where it left main, a folder read in one walk, and an empty status commit. */
async function exerciseDraftQueries(store: GitStore, branch: string, git: (...args: string[]) => string): Promise<void> {
  await store.createBranch(branch, "main");
  const forkedAt = await store.head("main");
  await store.commit({
    branch,
    changes: [{ path: "content/practices/riverside/hours.md", content: "Draft hours\n" }],
    message: "Draft",
    author: person,
    committer: platform,
  });
  const status = await store.commit({ branch, changes: [], allowEmpty: true, message: "Ready for review", author: person, committer: platform, trailers: { Status: "pending_review" } });
  expect(git("show", "--stat", "--format=%s", status).trim()).toBe("Ready for review");
  await expect(store.commit({ branch, changes: [], message: "Nothing", author: person, committer: platform })).rejects.toThrow(/at least one change/);
  expect((await store.listBranches("cms/riverside/")).map((b) => b.name)).toContain(branch);
  expect(await store.listBranches("cms/nowhere/")).toEqual([]);
  expect(await store.changedPaths("main", branch)).toEqual(["content/practices/riverside/hours.md"]);
  expect(await store.mergeBase("main", branch)).toBe(forkedAt);
  const folder = await store.readFolder("content/practices/riverside", { ref: branch });
  const paths = folder.map((f) => f.path);
  expect(paths).toEqual([...paths].sort());
  expect(paths).toEqual(expect.arrayContaining(["content/practices/riverside/hours.md", "content/practices/riverside/index.md"]));
  const hours = folder.find((f) => f.path.endsWith("/hours.md"))!;
  expect(new TextDecoder().decode(hours.content)).toBe("Draft hours\n");
  expect(hours.oid).toBe(git("rev-parse", `${branch}:content/practices/riverside/hours.md`));
  await store.deleteBranch(branch);
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

it("has a git binary", () => {
  expect(execFileSync("git", ["--version"], { encoding: "utf8" })).toMatch(/^git version \d/);
});

describe("paths", () => {
  it("normalises harmless forms", () => {
    expect(normalizePath("content//practices/./riverside/index.md")).toBe("content/practices/riverside/index.md");
  });
  it.each([
    "../secrets",
    "content/../../etc/passwd",
    "/etc/passwd",
    "C:/Windows/win.ini",
    "content\\practices\\x.md",
    "content/a\u0000.md",
    ".git/config",
    "content/.GIT/hooks/pre-commit",
    "",
    "./",
  ])("refuses %j", (path) => {
    expect(() => normalizePath(path)).toThrow(InvalidPathError);
  });
});

describe("local adapter", () => {
  let dir: string;
  let store: GitStore;
  beforeAll(() => {
    dir = seedRepo();
    store = createLocalGitStore({ fs, dir });
  });

  it("commits without touching the working tree, reads back, and records author, committer and trailers", async () => {
    const before = await store.head("main");
    expect(before).toBe(run(dir, "rev-parse", "main"));
    const oid = await store.commit({
      branch: "main",
      changes: [
        { path: "content/practices/riverside/hours.md", content: "Mon-Fri 8-7\n" },
        { path: "content/practices/riverside/news/flu.md", content: "Flu clinics\n" },
      ],
      message: "Update opening hours",
      author: person,
      committer: platform,
      trailers: { Practice: "riverside", Role: "editor" },
      expectedHead: before,
    });
    expect(oid).toBe(run(dir, "rev-parse", "main"));
    expect(run(dir, "rev-parse", "main^")).toBe(before);
    expect(await store.readFile("content/practices/riverside/hours.md", { ref: "main" })).toBe("Mon-Fri 8-7\n");
    expect(await store.readFile("content/practices/riverside/hours.md", { ref: before })).toBe("Mon-Fri 8-6.30\n");
    expect(await store.readFile("content/practices/riverside/missing.md", { ref: "main" })).toBeUndefined();
    const bytes = await store.readFile("content/practices/riverside/index.md", { ref: "main", encoding: "binary" });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(await store.listFiles("content/practices/riverside", { ref: "main" })).toEqual([
      "content/practices/riverside/hours.md",
      "content/practices/riverside/index.md",
      "content/practices/riverside/news/flu.md",
    ]);
    expect(await store.listFiles("content/practices/riverside", { ref: "main", recursive: false })).toHaveLength(2);
    expect(await store.listFiles("content/practices/nowhere", { ref: "main" })).toEqual([]);

    // The git binary agrees: message, trailers, author vs committer, tree contents.
    expect(run(dir, "log", "-1", "--format=%B", "main")).toBe("Update opening hours\n\nPractice: riverside\nRole: editor");
    expect(run(dir, "log", "-1", "--format=%(trailers:key=Practice,valueonly)", "main")).toBe("riverside");
    expect(run(dir, "log", "-1", "--format=%an <%ae>|%cn <%ce>", "main")).toBe(
      "Asha Patel <asha@riverside.example>|Practice Digital <cms@platform.example>",
    );
    expect(run(dir, "show", "main:content/practices/riverside/news/flu.md")).toBe("Flu clinics");
    run(dir, "fsck", "--strict");
    // Working tree left alone.
    expect(readFileSync(join(dir, "content/practices/riverside/hours.md"), "utf8")).toBe("Mon-Fri 8-6.30\n");

    const [latest] = await store.log("main", { depth: 1 });
    expect(latest?.trailers).toEqual({ Practice: "riverside", Role: "editor" });
    expect(latest?.author.name).toBe("Asha Patel");
    expect(latest?.committer.email).toBe("cms@platform.example");
    const hoursLog = await store.log("main", { path: "content/practices/riverside/hours.md" });
    expect(hoursLog.map((e) => e.message.split("\n")[0])).toEqual(["Update opening hours", "Seed"]);
  });

  it("deletes a file and prunes the emptied folder", async () => {
    await store.commit({
      branch: "main",
      changes: [{ path: "content/practices/riverside/news/flu.md", content: null }],
      message: "Remove flu notice",
      author: person,
      committer: platform,
    });
    expect(await store.readFile("content/practices/riverside/news/flu.md", { ref: "main" })).toBeUndefined();
    expect(run(dir, "ls-tree", "-r", "--name-only", "main")).toBe(
      "content/practices/riverside/hours.md\ncontent/practices/riverside/index.md",
    );
  });

  it("refuses a stale expectedHead with ConflictError and changes nothing", async () => {
    const stale = run(dir, "rev-parse", "main^");
    const before = run(dir, "rev-parse", "main");
    const attempt = store.commit({
      branch: "main",
      changes: [{ path: "content/practices/riverside/hours.md", content: "stale\n" }],
      message: "Stale save",
      author: person,
      committer: platform,
      expectedHead: stale,
    });
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    expect(run(dir, "rev-parse", "main")).toBe(before);
    expect(run(dir, "show", "main:content/practices/riverside/hours.md")).toBe("Mon-Fri 8-7");
  });

  it("refuses path traversal in commits and reads, writing nothing", async () => {
    const before = run(dir, "rev-parse", "main");
    for (const path of ["../outside.md", "/abs.md", "content\\x.md", "a/\u0000b", ".git/config"]) {
      await expect(
        store.commit({ branch: "main", changes: [{ path, content: "x" }], message: "bad", author: person, committer: platform }),
      ).rejects.toBeInstanceOf(InvalidPathError);
      await expect(store.readFile(path, { ref: "main" })).rejects.toBeInstanceOf(InvalidPathError);
    }
    await expect(store.listFiles("../", { ref: "main" })).rejects.toBeInstanceOf(InvalidPathError);
    await expect(store.log("main", { path: "../x" })).rejects.toBeInstanceOf(InvalidPathError);
    expect(run(dir, "rev-parse", "main")).toBe(before);
  });

  it("creates and deletes branches", async () => {
    const main = await store.head("main");
    expect(await store.createBranch("cms/riverside/hours", "main")).toBe(main);
    await expect(store.createBranch("cms/riverside/hours", "main")).rejects.toBeInstanceOf(ConflictError);
    await expect(store.createBranch("bad..name", "main")).rejects.toBeInstanceOf(InvalidPathError);
    const draft = await store.commit({
      branch: "cms/riverside/hours",
      changes: [{ path: "content/practices/riverside/hours.md", content: "draft\n" }],
      message: "Draft",
      author: person,
      committer: platform,
    });
    expect(await store.head("main")).toBe(main);
    await expect(store.deleteBranch("cms/riverside/hours", { expectedHead: main })).rejects.toBeInstanceOf(ConflictError);
    await store.deleteBranch("cms/riverside/hours", { expectedHead: draft });
    expect(run(dir, "branch", "--list", "cms/*")).toBe("");
  });

  it("lists draft branches, diffs them against main, finds where they forked, reads folders and writes empty commits", async () => {
    await exerciseDraftQueries(store, "cms/riverside/pages/hours", (...args) => run(dir, ...args));
  });

  it("never follows, lists or rewrites a symbolic link", async () => {
    fs.symlinkSync("../../../../etc/passwd", join(dir, "content/practices/riverside/link.md"));
    run(dir, "add", "content/practices/riverside/link.md");
    run(dir, "commit", "-q", "-m", "A link");
    const before = run(dir, "rev-parse", "main");
    await expect(store.readFile("content/practices/riverside/link.md", { ref: "main" })).rejects.toThrow(/symbolic link/);
    expect((await store.readFolder("content/practices/riverside", { ref: "main" })).map((f) => f.path)).not.toContain("content/practices/riverside/link.md");
    for (const content of ["../fellside/practice.yml", null]) {
      await expect(
        store.commit({ branch: "main", changes: [{ path: "content/practices/riverside/link.md", content }], message: "retarget", author: person, committer: platform }),
      ).rejects.toBeInstanceOf(InvalidPathError);
    }
    await expect(
      store.commit({ branch: "main", changes: [{ path: "content/practices/riverside/link.md/x", content: "x" }], message: "inside", author: person, committer: platform }),
    ).rejects.toBeInstanceOf(InvalidPathError);
    expect(run(dir, "rev-parse", "main")).toBe(before);
  });
});

/**
 * An HTTP client whose first receive-pack POST (sent after discovery saw the old head) is held
 * until `release()`; `held` resolves once it is waiting. This forces the server to refuse it.
 */
function gatedHttp(): { client: HttpClient; held: Promise<void>; release: () => void; pushes: () => number } {
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const held = new Promise<void>((r) => (reached = r));
  let pushes = 0;
  return {
    held,
    release,
    pushes: () => pushes,
    client: {
      async request(request) {
        if (request.method === "POST" && request.url.endsWith("/git-receive-pack")) {
          pushes++;
          if (pushes === 1) {
            reached();
            await gate;
          }
        }
        return http.request(request);
      },
    },
  };
}

describe("remote adapter over git http-backend", () => {
  let root: string;
  let bare: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const work = seedRepo();
    root = mkdtempSync(join(tmpdir(), "git-store-remote-"));
    temps.push(root);
    bare = join(root, "content.git");
    execFileSync("git", ["clone", "-q", "--bare", work, bare]);
    run(bare, "config", "http.receivepack", "true");
    ({ server, url } = await serveGit(root));
    url = `${url}/content.git`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const retries: string[] = [];
  const store = (client: HttpClient = http, name = "store") =>
    createRemoteGitStore({ url, http: client, onRetry: ({ head }) => retries.push(`${name}@${head}`) });
  const edit = (path: string, content: string | null, message: string) => ({
    branch: "main",
    changes: [{ path, content }],
    message,
    author: person,
    committer: platform,
    trailers: { Practice: "riverside" },
  });

  it("clones, commits in memory and pushes to the bare repository", async () => {
    const s = store();
    const before = await s.head("main");
    expect(before).toBe(run(bare, "rev-parse", "main"));
    expect(await s.readFile("content/practices/riverside/index.md", { ref: "main" })).toBe("# Riverside\n");
    const oid = await s.commit({ ...edit("content/practices/riverside/hours.md", "Mon-Fri 8-8\n", "Extend hours"), expectedHead: before });
    expect(run(bare, "rev-parse", "main")).toBe(oid);
    expect(run(bare, "show", "main:content/practices/riverside/hours.md")).toBe("Mon-Fri 8-8");
    expect(run(bare, "log", "-1", "--format=%an|%cn|%(trailers:key=Practice,valueonly)", "main")).toBe(
      "Asha Patel|Practice Digital|riverside",
    );
    run(bare, "fsck", "--strict");
    // A second, fresh store sees it.
    expect(await store().readFile("content/practices/riverside/hours.md", { ref: "main" })).toBe("Mon-Fri 8-8\n");
    expect((await s.log("main", { depth: 1 }))[0]?.oid).toBe(oid);
  });

  it("lands two concurrent pushes of different files (retry on non-fast-forward)", async () => {
    const start = run(bare, "rev-parse", "main");
    const a = store();
    const gate = gatedHttp();
    const b = store(gate.client, "B");
    retries.length = 0;
    const bCommit = b.commit(edit("content/practices/riverside/b.md", "from B\n", "B edits b.md"));
    await gate.held; // B has built its commit on `start` and its push is in flight
    const aOid = await a.commit(edit("content/practices/riverside/a.md", "from A\n", "A edits a.md"));
    gate.release(); // B's push carries a stale old oid: the server refuses it, B re-applies on A's commit.
    const bOid = await bCommit;
    expect(gate.pushes()).toBe(2);
    expect(run(bare, "rev-parse", "main")).toBe(bOid);
    expect(run(bare, "rev-parse", "main^")).toBe(aOid);
    expect(run(bare, "rev-parse", "main^^")).toBe(start);
    expect(retries).toEqual([`B@${aOid}`]); // B was refused once and re-applied on A's commit
    expect(run(bare, "show", "main:content/practices/riverside/a.md")).toBe("from A");
    expect(run(bare, "show", "main:content/practices/riverside/b.md")).toBe("from B");

    // And an unsynchronised race of several stores: all land, history linear.
    const stores = [store(), store(), store()];
    const oids = await Promise.all(
      stores.map((s, i) => s.commit(edit(`content/practices/riverside/race-${i}.md`, `${i}\n`, `Race ${i}`))),
    );
    const history = run(bare, "rev-list", "main").split("\n");
    for (const oid of oids) expect(history).toContain(oid);
    expect(run(bare, "rev-list", "--merges", "main")).toBe("");
  });

  it("gives the second writer of the same file a ConflictError; only the first change lands", async () => {
    const a = store();
    const gate = gatedHttp();
    const b = store(gate.client);
    const start = await b.head("main");
    const bCommit = b.commit(edit("content/practices/riverside/hours.md", "B's hours\n", "B edits hours"));
    await gate.held;
    const aOid = await a.commit(edit("content/practices/riverside/hours.md", "A's hours\n", "A edits hours"));
    gate.release();
    const error = await bCommit.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).paths).toEqual(["content/practices/riverside/hours.md"]);
    expect(run(bare, "rev-parse", "main")).toBe(aOid);
    expect(run(bare, "rev-parse", "main^")).toBe(start);
    expect(run(bare, "show", "main:content/practices/riverside/hours.md")).toBe("A's hours");

    // A stale expectedHead is refused up front, even for a different file.
    await expect(
      b.commit({ ...edit("content/practices/riverside/other.md", "x\n", "stale"), expectedHead: start }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(run(bare, "rev-parse", "main")).toBe(aOid);
  });

  it("creates, reads and deletes a branch on the server", async () => {
    const s = store();
    const main = await s.head("main");
    await s.createBranch("cms/riverside/notice", "main");
    expect(run(bare, "rev-parse", "cms/riverside/notice")).toBe(main);
    await expect(s.createBranch("cms/riverside/notice", "main")).rejects.toBeInstanceOf(ConflictError);
    const draft = await s.commit({ ...edit("content/practices/riverside/notice.md", "Closed Friday\n", "Notice"), branch: "cms/riverside/notice" });
    expect(await store().readFile("content/practices/riverside/notice.md", { ref: "cms/riverside/notice" })).toBe("Closed Friday\n");
    expect(await s.readFile("content/practices/riverside/notice.md", { ref: "main" })).toBeUndefined();
    await s.deleteBranch("cms/riverside/notice", { expectedHead: draft });
    expect(run(bare, "branch", "--list", "cms/*")).toBe("");
  });

  it("lists draft branches on the server, diffs, finds the fork point, reads folders and pushes empty commits", async () => {
    await exerciseDraftQueries(store(), "cms/riverside/pages/hours", (...args) => run(bare, ...args));
  });
});
