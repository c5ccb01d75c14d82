export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * Merges `override` into `base` and returns the result; neither argument is modified.
 * Plain objects are merged key by key, recursively. Any other value in `override` (an array, a string,
 * a number, a boolean or null) replaces the value in `base`. Keys whose value in `override` is
 * `undefined` are ignored.
 */
export function deepMerge(base: JsonObject, override: { [key: string]: Json | undefined }): JsonObject {
  const out = base;
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = out[key];
    if (typeof value === "object" && typeof current === "object") {
      out[key] = deepMerge(current as JsonObject, value as JsonObject);
    } else {
      out[key] = value;
    }
  }
  return out;
}
