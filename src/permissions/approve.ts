// The approval contract between the loop and a front end. The REPL passes an interactive `approve`; without one
// (non-interactive runs) anything that needs asking is denied, never blocking.
/** `response`: the model response the call came in, unique in the process ("yes to every call pending in it"). */
export type ApprovalRequest = {
  call: string;
  response: number;
  tool: string;
  input: Record<string, unknown>;
  reason: string;
  subject: string[];
};
/** "yes" once, "no" once, "always" for the rest of the session (the tool, or the exact Bash command). */
export type Approval = "yes" | "no" | "always";
export type Approve = (r: ApprovalRequest) => Promise<Approval>;
