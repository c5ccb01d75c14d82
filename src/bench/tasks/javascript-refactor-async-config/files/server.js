import { loadConfig } from "./config.js";

/** Calls back with (null, "listening on HOST:PORT"), " (debug)" appended in debug mode, or with loadConfig's error. */
export function describeServer(path, callback) {
  loadConfig(path, (err, config) => {
    if (err) {
      callback(err);
      return;
    }
    callback(null, `listening on ${config.host}:${config.port}${config.debug ? " (debug)" : ""}`);
  });
}
