// The store as commands use it: the home comes from the environment (read here, at the edge), warnings go to
// stderr, and the database is closed when the command is done. `startSession` is what ask/edit (and the REPL)
// call to create or resume a session and get a recorder for the run.
import type { Context } from "./context";
import { ActionableError } from "../core/errors";
import { homeDir } from "../core/home";
import type { Message } from "../llm/types";
import { retention } from "../store/settings";
import { openStore } from "../store/open";
import { openSession, SessionRecorder, type Resume } from "../store/recorder";
import { resumable } from "../store/resume";
import { applyRetention } from "../store/sessions";
import type { Store } from "../store/store";
import { ui } from "./ui";

export function withStore<T>(fn: (store: Store) => T): T {
  const store = openStore({ home: homeDir(), warn: ui.warn });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

export type Started = {
  session: string;
  /** The conversation to send: the resumed history with the new prompt, as the model will see it. */
  messages: Message[];
  /** Undefined only when the database cannot be used (then a warning was shown). */
  recorder?: SessionRecorder;
};

/**
 * Opens (or resumes) the session for one run and stores the prompt before any model call. Without a resume request
 * a database problem only costs the saving (with a warning): the question still gets answered.
 */
export function startSession(
  ctx: Context,
  o: { resume: Resume; save: boolean; model: string; prompt: Message; newId: () => string },
): Started {
  const wanted = !!(o.resume.id || o.resume.latest);
  let store: Store;
  try {
    store = openStore({ home: ctx.paths.home, warn: ui.warn });
  } catch (err) {
    if (wanted || !(err instanceof ActionableError)) throw err;
    ui.warn(`${o.save ? "this session will not be saved" : "usage will not be recorded"}: ${err.message}`);
    return { session: o.newId(), messages: [o.prompt] };
  }
  const s = openSession(store, { cwd: ctx.cwd, model: o.model, resume: o.resume, warn: ui.warn, create: o.save });
  const messages = resumable([...s.history, o.prompt]);
  // Not saving the transcript still records usage: stats count every request that was paid for.
  const recorder = new SessionRecorder(store, s.id, o.save);
  recorder.prompt(o.prompt);
  if (o.save && !s.resumed) applyRetention(store, retention(ctx.get), s.id);
  return { session: s.id, messages, recorder };
}
