// The audit log's chain: each record holds the hash of the one before it and its own hash over its fields and that
// link, so editing a record breaks its hash, and deleting or reordering one breaks the next record's link. The
// chain's head (count and last hash) is what `team audit --verify` prints: kept somewhere else, it also shows a
// tail cut off after it was noted. Exports: JSONL (one record per line) and CSV (a header row, RFC 4180 quoting).
import { createHash } from "node:crypto";
import type { AuditEntry, AuditRecord } from "./store";

export const GENESIS = "0".repeat(64);

/** The fields a record's hash covers, in a fixed order (never JSON key order), with the link to the previous one. */
export function recordHash(seq: number, prev: string, e: AuditEntry): string {
  const fields = [
    seq,
    prev,
    e.at,
    e.request,
    e.developer,
    e.client,
    e.method,
    e.path,
    e.modelAsked,
    e.modelServed,
    e.input,
    e.output,
    e.amount.toString(),
    e.status,
    Math.round(e.latencyMs * 1000) / 1000,
    e.bodySha256,
    e.note,
    e.prompt,
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}

/** The audit table's columns, in the order `auditValues` gives them: one INSERT for both stores, append and load. */
export const AUDIT_COLUMNS =
  "seq, at, request, developer, client, method, path, model_asked, model_served, input, output, amount, status, latency_ms, body_sha256, note, prompt, prev, hash";

export const auditValues = (r: AuditRecord) => [
  r.seq,
  r.at,
  r.request,
  r.developer,
  r.client,
  r.method,
  r.path,
  r.modelAsked,
  r.modelServed,
  r.input,
  r.output,
  r.amount,
  r.status,
  r.latencyMs,
  r.bodySha256,
  r.note,
  r.prompt,
  r.prev,
  r.hash,
];

export type Verdict = { ok: true; count: number; head: string } | { ok: false; count: number; seq: number; problem: string };

/** Walks the chain in order; the first record that does not hold names where and how it was broken. */
export function verifyChain(records: Iterable<AuditRecord>): Verdict {
  let prev = GENESIS;
  let expected = 1;
  let count = 0;
  for (const r of records) {
    count++;
    if (r.seq !== expected)
      return { ok: false, count, seq: r.seq, problem: `record ${expected}${r.seq > expected + 1 ? `-${r.seq - 1}` : ""} is missing` };
    if (r.prev !== prev) return { ok: false, count, seq: r.seq, problem: `record ${r.seq} does not link to record ${r.seq - 1}` };
    if (recordHash(r.seq, r.prev, r) !== r.hash) return { ok: false, count, seq: r.seq, problem: `record ${r.seq} was changed` };
    prev = r.hash;
    expected++;
  }
  return { ok: true, count, head: prev };
}

/** A record as exported: USD as a decimal string next to the atomic amount, the time as ISO 8601. */
export function exported(r: AuditRecord): Record<string, unknown> {
  return {
    seq: r.seq,
    time: new Date(r.at).toISOString(),
    request: r.request,
    developer: r.developer,
    client: r.client,
    method: r.method,
    path: r.path,
    model_asked: r.modelAsked,
    model_served: r.modelServed,
    input_tokens: r.input,
    output_tokens: r.output,
    usd: usd(r.amount),
    amount: r.amount.toString(),
    status: r.status,
    latency_ms: Math.round(r.latencyMs),
    body_sha256: r.bodySha256,
    note: r.note,
    ...(r.prompt !== null ? { prompt: r.prompt } : {}),
    prev: r.prev,
    hash: r.hash,
  };
}

const usd = (atomic: bigint) => `${atomic / 1_000_000n}.${(atomic % 1_000_000n).toString().padStart(6, "0")}`;

export type Exported = ReturnType<typeof exported>;

export const toJsonl = (rows: Exported[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join("");

const CSV_COLUMNS = [
  "seq",
  "time",
  "request",
  "developer",
  "client",
  "method",
  "path",
  "model_asked",
  "model_served",
  "input_tokens",
  "output_tokens",
  "usd",
  "amount",
  "status",
  "latency_ms",
  "body_sha256",
  "note",
  "prev",
  "hash",
];

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  // A leading = + - @ would be a formula in a spreadsheet: a developer's user agent must not become one.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: Exported[]): string {
  const lines = rows.map((e) => CSV_COLUMNS.map((c) => cell(e[c])).join(","));
  return `${[CSV_COLUMNS.join(","), ...lines].join("\r\n")}\r\n`;
}
