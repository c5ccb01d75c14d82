// Type-level test: every message runcode's Claude Code renderer writes is assignable to the message type Claude
// Code's Agent SDK declares for it. `tsc --noEmit` compiles this file (CI's type check), and
// test/e2e/output-formats.test.ts compiles it again with the TypeScript API, so a drifted shape fails both.
import type {
  SDKAssistantMessage,
  SDKCompactBoundaryMessage,
  SDKMessage,
  SDKResultError,
  SDKResultSuccess,
  SDKSystemMessage,
  SDKUserMessage,
} from "@anthropic-ai/claude-agent-sdk";
import type {
  ClaudeAssistant,
  ClaudeCompact,
  ClaudeError,
  ClaudeInit,
  ClaudeMessage,
  ClaudeSuccess,
  ClaudeUser,
} from "../src/render/claude";

type Assignable<T extends U, U> = T;

export type Checks = [
  Assignable<ClaudeInit, SDKSystemMessage>,
  Assignable<ClaudeAssistant, SDKAssistantMessage>,
  Assignable<ClaudeUser, SDKUserMessage>,
  Assignable<ClaudeCompact, SDKCompactBoundaryMessage>,
  Assignable<ClaudeSuccess, SDKResultSuccess>,
  Assignable<ClaudeError, SDKResultError>,
  Assignable<ClaudeMessage, SDKMessage>,
];

/** The SDK type each line is checked against at run time (by its required fields), by `type` and `subtype`. */
export type Shapes = {
  init: SDKSystemMessage;
  compact_boundary: SDKCompactBoundaryMessage;
  assistant: SDKAssistantMessage;
  user: SDKUserMessage;
  success: SDKResultSuccess;
  error: SDKResultError;
};
