import { readFile } from "node:fs";

export const DEFAULTS = { host: "127.0.0.1", port: 8080, debug: false };

/**
 * Reads the JSON config file at `path` and merges it over DEFAULTS.
 * Calls back with (null, config), or with (err) when the file can't be read, isn't valid JSON or doesn't hold a
 * JSON object; the error's message names the file.
 */
export function loadConfig(path, callback) {
  readFile(path, "utf8", (err, text) => {
    if (err) {
      callback(new Error(`cannot read ${path}: ${err.code}`));
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      callback(new Error(`invalid JSON in ${path}: ${e.message}`));
      return;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      callback(new Error(`${path} must contain a JSON object`));
      return;
    }
    callback(null, { ...DEFAULTS, ...parsed });
  });
}
