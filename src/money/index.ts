// src/money/: everything that moves or counts money, and nothing else.
//
//   pay.ts          the payer: one 402 → guards → ledger reservation → signature → resend → settle or fail, and
//                   payments signed up front from a kept quote (one request; a fresh quote voids them, paid once).
//                   Handed its ledger, signer loader, limits, recipient policy, prices, session, emit and clock
//                   (PayerDeps); it opens no file and reads no config or env. src/agent/payer.ts builds those.
//   quote.ts        what the gateway will quote for a request, from the catalog's prices and the request's size
//   requirements.ts reading x402 messages (402 requirements, the payment header, the receipt)
//   guards.ts       the decisions taken before signing (chain, asset, EIP-712 domain, amount, budgets, payTo)
//   signer.ts       key → signer for the chain (lazy viem / Solana); evm.ts (EIP-3009, its secp256k1 table sized
//                   for the process) and solana.ts (v0 tx)
//   signed.ts       tags what the payer handed back after signing (the proxy's "was this signed?")
//   ledger.ts       the payments and quotes tables on the store's connection: budgets reserved and recorded atomically
//   chain.ts        Base or Solana, their USDC and gateways; rpc.ts the JSON-RPC client and endpoints
//   usd.ts          USD ↔ atomic USDC arithmetic and display; settings.ts the payment config keys (PAYMENT_SETTINGS)
//   wallet/         where keys live and how they are read (keys.ts, free of crypto imports), created, imported,
//                   shown (active.ts), funded (setup.ts), balances read (balance.ts) and reported (report.ts)
//
// Dollars reach totals through one channel: the payer's payment.settled event (docs/payments.md).
export { createPayer, paymentError, type PayerDeps, type PaymentEvent } from "./pay";
export { wasSigned } from "./signed";
