// Baked in at build time by scripts/build-binaries.ts (`--define RUNCODE_VERSION=…`); from source, package.json.
declare const RUNCODE_VERSION: string | undefined;
declare const RUNCODE_COMMIT: string | undefined;

export const VERSION: string = typeof RUNCODE_VERSION === "string" ? RUNCODE_VERSION : "0.1.0-dev";
export const COMMIT: string = typeof RUNCODE_COMMIT === "string" ? RUNCODE_COMMIT : "source";
