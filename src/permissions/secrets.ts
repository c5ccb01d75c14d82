// The one rule no mode, flag or answer overrides: no tool call may touch runcode's own secrets. A call is refused
// when it names a secret file (by path, symlink or hard link), when a shell command names one or the folder that
// holds them, or when its input carries a registered secret (a key pasted into a WebFetch URL, a Bash command…).
import { containsSecret, isSecretFile, mentionsSecretFile } from "../core/secrets";
import type { Call } from "./policy";

export function secretDenial(c: Call, input: unknown): string | undefined {
  const file = (c.subject.paths ?? []).find(isSecretFile);
  if (file) return `${file} holds runcode's wallet key or tokens, and no tool may read, search or change it`;
  if (c.shell)
    for (const t of c.subject.texts) {
      const word = mentionsSecretFile(t);
      if (word) return `the command names ${word}, where runcode keeps its wallet key and tokens, and no tool may touch them`;
    }
  if (containsSecret(JSON.stringify(input) ?? "")) return "the call carries runcode's wallet key or a token, which never leaves runcode";
  return undefined;
}
