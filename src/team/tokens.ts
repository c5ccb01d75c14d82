// Team tokens: `rct_` for a developer, `rca_` for the admin, 32 random bytes in base64url. Only their SHA-256 is
// stored (a token has 256 bits of entropy, so a plain hash is enough: there is nothing to brute-force). The server
// looks a developer up by the hash of what was presented and compares the hashes in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export type TokenKind = "developer" | "admin";

export const newToken = (kind: TokenKind) => `${kind === "admin" ? "rca_" : "rct_"}${randomBytes(32).toString("base64url")}`;

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** The token a request presents: `Authorization: Bearer …` (OpenAI, ANTHROPIC_AUTH_TOKEN) or `x-api-key` (Anthropic). */
export function presented(headers: Headers): string | undefined {
  const auth = headers.get("authorization");
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, "").trim() || undefined;
  return headers.get("x-api-key")?.trim() || undefined;
}

/** A token's shape, checked before any lookup; anything else is refused without touching the store. */
export const TOKEN_SHAPE = /^rc[at]_[A-Za-z0-9_-]{43}$/;
