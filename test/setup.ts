// Preloaded by bunfig.toml for every test file. End-to-end tests spawn processes on a shared 2-core machine.
import { setDefaultTimeout } from "bun:test";

setDefaultTimeout(60_000);
