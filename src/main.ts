#!/usr/bin/env bun
// Entry point: kept tiny so `runcode --version` loads nothing else.
import { VERSION } from "./version";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  process.stdout.write(`runcode ${VERSION}\n`);
} else {
  const { main } = await import("./dispatch");
  process.exitCode = await main(argv);
}
