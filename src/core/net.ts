// What a failed connection means, in words: the runtime's own text ("ECONNREFUSED: Unable to connect. Is the
// computer able to access the url?", "getaddrinfo ENOTFOUND …") never reaches the user. One reading for every
// place runcode fetches (the gateway, RPCs, doctor, upgrade, WebFetch).

export type NetFailure = {
  /** The host could not be reached at all: nothing was sent (refused, no DNS, no route, no connection). */
  connect: boolean;
  /** Plain words for the message, e.g. "connection refused". */
  reason: string;
};

const CONNECT: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ConnectionRefused: "connection refused",
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed",
  EAI_NONAME: "DNS lookup failed",
  DNSException: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EHOSTDOWN: "host down",
  ENETDOWN: "network down",
  EADDRNOTAVAIL: "address not available",
  FailedToOpenSocket: "cannot open a connection",
  ConnectionClosed: "connection closed before it was made",
};

const LATER: Record<string, string> = {
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed",
  ETIMEDOUT: "timed out",
  UND_ERR_SOCKET: "the connection was closed",
};

/** The error of a fetch that failed before any response, read; undefined when it is not a network error. */
export function netFailure(err: unknown): NetFailure | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = String((err as { code?: unknown }).code ?? "");
  const text = err.message;
  if (CONNECT[code]) return { connect: true, reason: CONNECT[code] };
  if (LATER[code]) return { connect: false, reason: LATER[code] };
  if (/CERT|SSL|TLS|self[- ]signed/i.test(code) || /certificate|SSL|TLS/i.test(text))
    return { connect: true, reason: "TLS certificate problem" };
  if (/getaddrinfo|ENOTFOUND|EAI_AGAIN|DNS/i.test(text)) return { connect: true, reason: "DNS lookup failed" };
  if (/ECONNREFUSED|Unable to connect/i.test(text)) return { connect: true, reason: "connection refused" };
  if (/ECONNRESET|socket connection was closed|socket hang up/i.test(text)) return { connect: false, reason: "the connection was reset" };
  return undefined;
}

/** A fetch error as words for a message: the network reading, else the first line of the error's own text. */
export function fetchFailure(err: unknown): string {
  const n = netFailure(err);
  if (n) return n.reason;
  const text = err instanceof Error ? err.message : String(err);
  return (text.split("\n")[0] ?? "").replace(/\s*For more information, pass `verbose: true`.*$/, "") || "unknown network error";
}
