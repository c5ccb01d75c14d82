// The REPL's pseudo-terminal scenario (test/repl/pty.test.ts) again here, because CI runs test/e2e against the
// installed compiled binary (RUNCODE_TEST_BIN): issue 7 is done when it passes there.
import "../repl/pty.test";
