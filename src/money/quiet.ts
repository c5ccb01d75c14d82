// Imported before the Solana libraries: their bigint-buffer dependency prints "bigint: Failed to load bindings,
// pure JS will be used" on the user's terminal when its optional native addon is absent (always, in the compiled
// binary). The pure-JS path is the one runcode uses; that one line is dropped, every other warning passes.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].startsWith("bigint: Failed to load bindings")) return;
  warn(...args);
};
