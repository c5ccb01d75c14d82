// Reading x402 messages: the 402's requirements (v2 header `payment-required`, `x-payment-required`, or a v1/v2
// JSON body), the payment header we send, and the receipt. Pure functions over Responses and strings, no crypto.
import { ActionableError, EXIT } from "../core/errors";
import { log } from "../core/log";

export type Requirement = {
  scheme: string;
  /** CAIP-2, also for v1 names ("base" → "eip155:8453"). */
  network: string;
  amount: bigint;
  asset: string;
  payTo: string;
  maxTimeoutSeconds: number;
  extra: Record<string, unknown>;
  /** The requirement exactly as the server sent it: v2 echoes it back unchanged as `accepted`. */
  raw: Record<string, unknown>;
};

export type PaymentRequired = { version: 1 | 2; accepts: Requirement[]; resource?: unknown; error?: string; extensions?: unknown };

export type Receipt = { success: boolean; transaction?: string; network?: string; payer?: string; errorReason?: string };

const V1_NETWORKS: Record<string, string> = {
  base: "eip155:8453",
  "base-sepolia": "eip155:84532",
  solana: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
  "solana-devnet": "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1",
};

const malformed = (what: string) =>
  new ActionableError(
    `the gateway's payment request is malformed (${what}); nothing was signed`,
    "retry later, or use a free model with -m free",
    "payment_failed",
    EXIT.payment,
  );

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Standard base64 (URL-safe tolerated) → JSON object; undefined when it is not one. */
export function decodeB64Json(value: string): Json | undefined {
  const s = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(s, "base64").toString("utf8"));
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export const encodeB64Json = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8").toString("base64");

/** Reads the requirements from a 402. Consumes the body only when no header carries them. */
export async function readRequirements(res: Response): Promise<PaymentRequired> {
  const header = res.headers.get("payment-required") ?? res.headers.get("x-payment-required");
  let doc: Json | undefined;
  if (header) {
    doc = decodeB64Json(header);
    if (!doc) throw malformed("the payment-required header is not base64 JSON");
  } else {
    const text = await res.text().catch(() => "");
    try {
      const v: unknown = text ? JSON.parse(text) : undefined;
      if (isObj(v) && "accepts" in v) doc = v;
    } catch {
      if (/x402Version|accepts/.test(text)) throw malformed("the 402 body is not valid JSON");
    }
  }
  return parseRequirements(doc);
}

/** The requirements of an x402 document (a 402's, or one stored by the ledger from an earlier 402). */
export function parseRequirements(doc: Json | undefined): PaymentRequired {
  if (!doc || !Array.isArray(doc.accepts) || doc.accepts.length === 0)
    throw new ActionableError(
      "the gateway asked for payment (402) but sent no payment requirements; nothing was signed",
      "retry later, or use a free model with -m free",
      "payment_failed",
      EXIT.payment,
    );
  // The version decides the header, the payload and the amount field: one we do not know is never guessed. Both
  // versions require the field, so a document without it (or with "2" as a string) is refused too.
  const version = doc.x402Version;
  if (version !== 1 && version !== 2)
    throw new ActionableError(
      `refused to pay: the gateway's payment request has ${version === undefined ? "no x402Version" : `x402Version ${JSON.stringify(version)?.slice(0, 40)}`}, and runcode pays x402 versions 1 and 2 only; nothing was signed`,
      "upgrade runcode with `runcode upgrade`, or use a free model with -m free",
      "payment_refused",
      EXIT.payment,
    );
  const accepts = doc.accepts.map((a) => normalize(a, version)).filter((r): r is Requirement => r !== undefined);
  if (!accepts.length) throw malformed("no requirement has a valid scheme, network, amount, asset and payTo");
  return {
    version,
    accepts,
    resource: doc.resource,
    error: typeof doc.error === "string" ? doc.error : undefined,
    extensions: doc.extensions,
  };
}

function normalize(a: unknown, version: 1 | 2): Requirement | undefined {
  if (!isObj(a)) return undefined;
  const amount = version === 1 ? (a.maxAmountRequired ?? a.amount) : (a.amount ?? a.maxAmountRequired);
  const str = typeof amount === "number" && Number.isSafeInteger(amount) ? String(amount) : amount;
  const { scheme, network, asset, payTo } = a;
  if (typeof str !== "string" || !/^\d{1,30}$/.test(str)) return undefined;
  if (typeof scheme !== "string" || typeof network !== "string" || typeof asset !== "string" || typeof payTo !== "string") return undefined;
  const timeout = typeof a.maxTimeoutSeconds === "number" && a.maxTimeoutSeconds > 0 ? a.maxTimeoutSeconds : 300;
  return {
    scheme,
    network: V1_NETWORKS[network] ?? network,
    amount: BigInt(str),
    asset,
    payTo,
    maxTimeoutSeconds: timeout,
    extra: isObj(a.extra) ? a.extra : {},
    raw: a,
  };
}

/** The document to keep for signing `req` again later: the 402's envelope with only the requirement chosen. */
export function requirementsDoc(pr: PaymentRequired, req: Requirement): Json {
  const doc: Json = { x402Version: pr.version, accepts: [req.raw] };
  if (pr.resource !== undefined) doc.resource = pr.resource;
  if (pr.extensions !== undefined) doc.extensions = pr.extensions;
  return doc;
}

/** `req` for another amount: the echoed requirement (`raw`) carries it too, in the field its version uses. */
export function withAmount(req: Requirement, amount: bigint): Requirement {
  const raw: Json = { ...req.raw };
  const fields = ["amount", "maxAmountRequired"].filter((f) => f in raw);
  for (const f of fields.length ? fields : ["amount"]) raw[f] = typeof raw[f] === "number" ? Number(amount) : amount.toString();
  return { ...req, amount, raw };
}

/** The header name and value that carry a signed payload, per protocol version. */
export function paymentHeader(pr: PaymentRequired, req: Requirement, payload: Json): Record<string, string> {
  if (pr.version === 1) return { "X-PAYMENT": encodeB64Json({ x402Version: 1, scheme: req.scheme, network: req.raw.network, payload }) };
  const body: Json = { x402Version: 2, accepted: req.raw, payload };
  if (pr.resource !== undefined) body.resource = pr.resource;
  if (pr.extensions !== undefined) body.extensions = pr.extensions;
  return { "PAYMENT-SIGNATURE": encodeB64Json(body) };
}

/** The settlement receipt, if the response carries a readable one. */
export function readReceipt(res: Response): Receipt | undefined {
  const h = res.headers.get("payment-response") ?? res.headers.get("x-payment-response") ?? res.headers.get("x-payment-receipt");
  if (!h) return undefined;
  const doc = decodeB64Json(h);
  if (!doc) {
    log("payment receipt header is not base64 JSON; treating the answer as paid without a transaction id");
    return undefined;
  }
  const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
  return {
    success: doc.success !== false,
    transaction: str(doc.transaction),
    network: str(doc.network),
    payer: str(doc.payer),
    errorReason: str(doc.errorReason) ?? str(doc.error),
  };
}
