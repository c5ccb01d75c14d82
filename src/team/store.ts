// The team server's shared state behind one small interface: developers and their token hashes, budget
// reservations, and the hash-chained audit log. src/team/sqlite.ts is the embedded implementation (team.db next to
// the wallet); a database server can implement the same interface for several servers. Every method is async so an
// implementation may be remote. Amounts are atomic USDC (6 decimals) as bigint; times are ms since the epoch.

import { ActionableError } from "../core/errors";

export type Period = "day" | "week" | "month";

export type Developer = {
  id: number;
  email: string;
  /** Atomic USDC per period; null: no budget of their own (the team-wide limits still hold). */
  budget: bigint | null;
  period: Period;
  createdAt: number;
  revokedAt: number | null;
  /** When the token was last issued (add or rotate). */
  tokenAt: number;
};

/** The outcome of a check-and-reserve: reserved, or refused with what the period has already used. */
export type Reserved = { ok: true } | { ok: false; spent: bigint; budget: bigint };

/** A reservation the server that made it did not see to the end (killed mid-request): resolved at the next start. */
export type Open = {
  request: string;
  payment: number;
  developer: number;
  amount: bigint;
  status: "pending" | "settled" | "released";
  createdAt: number;
  /** Whether the request has its audit record. */
  audited: boolean;
};

/** What one request leaves in the audit log (src/team/audit.ts hashes and chains it). */
export type AuditEntry = {
  at: number;
  request: string;
  /** The developer's email; null when the token was missing or wrong. */
  developer: string | null;
  /** The client's user agent. */
  client: string | null;
  method: string;
  path: string;
  modelAsked: string | null;
  modelServed: string | null;
  input: number;
  output: number;
  /** Atomic USDC paid for this request. */
  amount: bigint;
  status: number;
  latencyMs: number;
  /** SHA-256 of the request body, hex; never the body itself. */
  bodySha256: string | null;
  note: string | null;
  /** The request body, only with --audit-prompts. */
  prompt: string | null;
};

export type AuditRecord = AuditEntry & { seq: number; prev: string; hash: string };

/** One check-and-reserve. `server`: which team server's ledger the payment is in; `since`: the period's start. */
export type Reservation = {
  developer: number;
  request: string;
  server: string;
  payment: number;
  amount: bigint;
  nonce: string | null;
  /** ms after which the payment's authorization can no longer settle. */
  expires: number;
  since: number;
  now: number;
};

/** The store cannot be reached (a database server down): the request is refused with a 503, nothing is paid. */
export class StoreUnavailable extends ActionableError {
  constructor(reason: string) {
    super(`the team database is unreachable (${reason})`, "", "store");
  }
}

export type AuditFilter = { since?: number; developer?: string; limit?: number };

export interface TeamStore {
  /** Where it lives, for messages (a file path or a database URL without its password). */
  readonly where: string;
  /** The admin token's hash, or undefined before `team init`. */
  adminHash(): Promise<string | undefined>;
  /** Sets the admin token's hash (init, or a new admin token). */
  setAdminHash(hash: string, now: number): Promise<void>;
  /** Adds a developer with this token hash; throws DuplicateDeveloper when the email is taken. */
  addDeveloper(d: { email: string; tokenHash: string; budget: bigint | null; period: Period; now: number }): Promise<Developer>;
  developer(email: string): Promise<Developer | undefined>;
  developers(): Promise<Developer[]>;
  /** The active (not revoked) developer whose token hashes to this. */
  byToken(hash: string): Promise<Developer | undefined>;
  setBudget(email: string, budget: bigint | null, period: Period): Promise<boolean>;
  /** A new token hash (rotate; also un-revokes). */
  setToken(email: string, hash: string, now: number): Promise<boolean>;
  revoke(email: string, now: number): Promise<boolean>;
  /** Atomic USDC reserved or settled by a developer since `since` (pending and settled count). */
  spent(developer: number, since: number): Promise<bigint>;
  /**
   * One transaction: the developer's budget is read, what the period used is summed, and the reservation is
   * recorded only if `amount` still fits. Two concurrent calls for one developer can never both slip under it.
   */
  reserve(r: Reservation): Promise<Reserved>;
  /** The reservation becomes what was paid (the amount reserved: x402 `exact` settles exactly what was signed). */
  settle(request: string, payment: number, now: number): Promise<void>;
  /** The payment failed or was voided: the reservation stops counting. */
  release(request: string, payment: number, now: number): Promise<void>;
  /**
   * Reservations made since `since` that are still pending or whose request has no audit record: what a server
   * killed mid-request leaves behind.
   */
  unfinished(server: string, since: number): Promise<Open[]>;
  /**
   * Pending reservations of any server whose authorization expired before `before`: the server that made them died
   * and did not come back to resolve them. They are settled (counted: the gateway may have been paid) and returned.
   */
  sweep(before: number, now: number): Promise<Open[]>;
  /** Appends one record to the chain (serialised: the chain stays one chain). */
  append(e: AuditEntry): Promise<AuditRecord>;
  /** Whether the audit log has a record for this request. */
  audited(request: string): Promise<boolean>;
  /** Records in chain order. */
  audit(f?: AuditFilter): Promise<AuditRecord[]>;
  /** Everything, row for row (for `team migrate`). */
  dump(): Promise<TeamDump>;
  /** Loads a dump into an empty store, ids, hashes and chain as they were; throws NotEmpty otherwise. */
  load(d: TeamDump): Promise<void>;
  close(): Promise<void>;
}

/** A whole team, row for row: what `team migrate` copies. */
export type TeamDump = {
  meta: { key: string; value: string; updatedAt: number }[];
  developers: (Developer & { tokenHash: string })[];
  reservations: (Open & { server: string; nonce: string | null; expires: number; updatedAt: number })[];
  audit: AuditRecord[];
};

export class NotEmpty extends Error {}

export class DuplicateDeveloper extends Error {}
