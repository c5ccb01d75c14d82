#!/usr/bin/env bun
// Entry point: kept tiny so `runcode --version` loads nothing else.
import { VERSION } from "./version";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  // console.log, not process.stdout: Node's stream machinery behind process.stdout costs more than the rest.
  console.log(`runcode ${VERSION}`);
} else {
  const { main } = await import("./dispatch");
  process.exitCode = await main(argv);
}
