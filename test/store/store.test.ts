// The store in-process: schema and ids, append/load, faults (newer version, corrupt file, read-only home, full
// disk), retention, and two real processes writing at once.
import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanup, tempDir } from "../helpers";
import { openStore } from "../../src/store/open";
import { SCHEMA_VERSION } from "../../src/store/schema";
import { applyRetention, findSession, listSessions, loadMessages, searchSessions } from "../../src/store/sessions";
import { repairStore } from "../../src/store/repair";
import type { Message } from "../../src/llm/types";

const dirs: string[] = [];
const home = () => {
  const d = tempDir("runcode-store-");
  dirs.push(d);
  return d;
};
afterEach(() => cleanup(...dirs.splice(0)));
const quiet = { warn: () => {} };

describe("schema and writes", () => {
  test("migrations are named and recorded; ids are prefixed and time-ordered", () => {
    const store = openStore({ home: home(), ...quiet });
    const names = store.db
      .query<{ name: string }, []>("SELECT name FROM migrations ORDER BY name")
      .all()
      .map((r) => r.name);
    expect(names).toEqual([
      "ledger-001-payments",
      "ledger-002-signed-window",
      "ledger-003-presigned",
      "store-001-meta",
      "store-002-sessions",
      "store-003-requests",
      "store-004-fts",
      "store-005-leases",
      "store-006-dashboard",
      "store-007-bench",
    ]);
    expect(store.meta("schema_version")).toBe(String(SCHEMA_VERSION));
    const a = store.createSession({ cwd: "/p", model: "m" });
    const b = store.createSession({ cwd: "/p", model: "m" });
    expect(a).toMatch(/^ses_/);
    expect(a < b).toBe(true);
    expect(store.recordRequest({ source: "agent", model: "m", input: 1, output: 1, usd: 0, status: "ok" })).toMatch(/^req_/);
    store.close();
  });

  test("append keeps content blocks exactly, counts turns, titles by the first prompt", () => {
    const store = openStore({ home: home(), ...quiet });
    const id = store.createSession({ cwd: "/p", model: "m" });
    const msgs: Message[] = [
      { role: "user", content: "first   prompt\nhere" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "hmm", signature: "s" },
          { type: "tool_use", id: "t1", name: "Read", input: { path: "a" } },
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "file body" }] },
      { role: "assistant", content: [{ type: "text", text: "done" }] },
    ];
    store.append(id, msgs.slice(0, 1));
    store.append(id, msgs.slice(1));
    expect(loadMessages(store, id).map(({ partial, ...m }) => m)).toEqual(msgs);
    const s = findSession(store, id.slice(0, 12));
    expect(s).toMatchObject({ id, turns: 1, messages: 4, title: "first prompt here" });
    expect(searchSessions(store, "done")[0]!.session).toBe(id);
    store.close();
  });
});

describe("faults", () => {
  test("a database from a newer runcode is refused and left untouched", () => {
    const h = home();
    openStore({ home: h, ...quiet }).close();
    const db = new Database(join(h, "runcode.db"));
    db.run("INSERT INTO migrations (name, applied_at) VALUES ('store-099-future', 1)");
    db.close();
    const before = readFileSync(join(h, "runcode.db"));
    expect(() => openStore({ home: h, ...quiet })).toThrow(/newer runcode \(unknown schema step "store-099-future"\).*runcode upgrade/);
    expect(readFileSync(join(h, "runcode.db")).equals(before)).toBe(true);

    const h2 = home();
    openStore({ home: h2, ...quiet }).close();
    const db2 = new Database(join(h2, "runcode.db"));
    db2.run("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    db2.close();
    expect(() => openStore({ home: h2, ...quiet })).toThrow(/schema version 99 > 1/);
  });

  test("a corrupt database is reported with its path and --repair, never deleted; repair keeps a backup", () => {
    const h = home();
    const file = join(h, "runcode.db");
    const junk = Buffer.alloc(8192, 0x5a);
    writeFileSync(file, junk);
    expect(() => openStore({ home: h, ...quiet })).toThrow(
      `the database ${file} is damaged (file is not a database): run \`runcode sessions --repair\``,
    );
    expect(readFileSync(file).equals(junk)).toBe(true);
    const r = repairStore(h, () => {})!;
    expect(readFileSync(r.backup).equals(junk)).toBe(true);
    expect(r.unreadable.length).toBe(1);
    const store = openStore({ home: h, ...quiet });
    expect(listSessions(store)).toEqual([]);
    store.close();
  });

  test("repair copies every readable row into a fresh database", () => {
    const h = home();
    const store = openStore({ home: h, ...quiet });
    const id = store.createSession({ cwd: "/p", model: "m" });
    store.append(id, [{ role: "user", content: "keep me" }]);
    store.recordRequest({ session: id, source: "agent", model: "m", input: 3, output: 4, usd: 0.5, status: "ok" });
    store.close();
    const r = repairStore(h, () => {})!;
    expect(r.copied).toMatchObject({ sessions: 1, messages: 1, requests: 1 });
    const again = openStore({ home: h, ...quiet });
    expect(loadMessages(again, id)[0]!.content).toBe("keep me");
    expect(searchSessions(again, "keep")).toHaveLength(1); // the FTS index was rebuilt by the triggers
    again.close();
  });

  test("a home that cannot be written falls back to a temp location with a warning", () => {
    const h = home();
    writeFileSync(join(h, "file"), "x");
    const fallback = join(home(), "fallback");
    const warnings: string[] = [];
    const store = openStore({ home: join(h, "file", "home"), warn: (l) => warnings.push(l), fallbackDir: fallback });
    expect(store.file).toBe(join(fallback, "runcode.db"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`sessions and stats go to ${join(fallback, "runcode.db")}`);
    store.createSession({ cwd: "/p", model: "m" });
    store.close();
  });

  test("a full disk fails the write and leaves the database consistent", () => {
    const store = openStore({ home: home(), ...quiet, maxPages: 48 });
    const id = store.createSession({ cwd: "/p", model: "m" });
    const big = "x".repeat(20_000);
    let stored = 0;
    let failure: unknown;
    for (let i = 0; i < 100 && !failure; i++) {
      try {
        store.append(id, [
          { role: "user", content: `${i} ${big}` },
          { role: "assistant", content: [{ type: "text", text: big }] },
        ]);
        stored += 2;
      } catch (err) {
        failure = err;
      }
    }
    expect(String(failure)).toContain("is full; nothing was half-written");
    expect(store.db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    expect(loadMessages(store, id)).toHaveLength(stored);
    expect(findSession(store, id).messages).toBe(stored);
    store.close();
  });

  test("two processes write at once without 'database is locked'", async () => {
    const h = home();
    openStore({ home: h, ...quiet }).close();
    const spawn = (tag: string) =>
      Bun.spawn([process.execPath, join(import.meta.dir, "writer.ts"), h, tag, "300"], { stdout: "pipe", stderr: "pipe" });
    const procs = [spawn("repl"), spawn("proxy")];
    const results = await Promise.all(
      procs.map(async (p) => ({
        code: await p.exited,
        out: await new Response(p.stdout).text(),
        err: await new Response(p.stderr).text(),
      })),
    );
    for (const r of results) expect(r).toEqual({ code: 0, out: "done\n", err: "" });
    const store = openStore({ home: h, ...quiet });
    expect(store.db.query("SELECT count(*) AS n FROM messages").get()).toEqual({ n: 1200n });
    expect(store.db.query("SELECT source, count(*) AS n FROM requests GROUP BY source ORDER BY source").all()).toEqual([
      { source: "agent", n: 300n },
      { source: "proxy", n: 300n },
    ]);
    store.close();
  });
});

describe("retention", () => {
  test("oldest sessions go first; the one in use never does", () => {
    const store = openStore({ home: home(), ...quiet });
    const day = 86_400_000;
    const now = 100 * day;
    const ids = [90, 95, 99].map((d) => store.createSession({ cwd: "/p", model: "m", at: d * day }));
    expect(applyRetention(store, { days: 7, maxCount: 0, maxMb: 0 }, undefined, now)).toBe(1);
    expect(applyRetention(store, { days: 0, maxCount: 1, maxMb: 0 }, ids[1], now)).toBe(1);
    expect(listSessions(store).map((s) => s.id)).toEqual([ids[1]!]);
    store.close();
  });

  test("the size budget keeps the newest sessions that fit", () => {
    const store = openStore({ home: home(), ...quiet });
    const ids = [1, 2, 3].map((d) => {
      const id = store.createSession({ cwd: "/p", model: "m", at: d });
      store.append(id, [{ role: "user", content: "y".repeat(400_000) }], { at: d });
      return id;
    });
    expect(applyRetention(store, { days: 0, maxCount: 0, maxMb: 1 }, undefined)).toBe(1);
    expect(listSessions(store).map((s) => s.id)).toEqual([ids[2]!, ids[1]!]);
    expect(existsSync(store.file)).toBe(true);
    store.close();
  });
});
