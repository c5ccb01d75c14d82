// Time-ordered ids with a type prefix (`ses_…`, `req_…`): sortable as strings, unique across processes.
import { randomBytes } from "node:crypto";

let last = 0;
let seq = 0;
export function newId(prefix: string, now = Date.now()): string {
  seq = now === last ? seq + 1 : 0;
  last = now;
  return `${prefix}_${now.toString(36).padStart(9, "0")}${seq.toString(36).padStart(2, "0")}${randomBytes(5).toString("hex")}`;
}
