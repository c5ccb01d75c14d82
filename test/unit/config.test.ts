import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readConfig } from "../../src/core/config";
import { getValue, parseValue } from "../../src/settings";
import { tempDir } from "../helpers";

describe("config", () => {
  test("old string values are read tolerantly", () => {
    const cfg = { "max-turns": "100", "session-save": "true", debug: "false", "auto-compact": true };
    expect(getValue(cfg, "max-turns")).toBe(100);
    expect(getValue(cfg, "session-save")).toBe(true);
    expect(getValue(cfg, "debug")).toBe(false);
    expect(getValue(cfg, "auto-compact")).toBe(true);
  });
  test("defaults apply to unset keys", () => {
    expect(getValue({}, "permission-mode")).toBe("default");
  });
  test("unknown keys suggest the closest", () => {
    expect(() => parseValue("max-turn", "3")).toThrow(/did you mean max-turns/);
  });
  test("bad values say what is accepted", () => {
    expect(() => parseValue("max-turns", "lots")).toThrow(/whole number/);
    expect(() => parseValue("permission-mode", "yolo")).toThrow(/one of default, trust, plan, deny-all/);
    expect(() => getValue({ "max-turns": "x" }, "max-turns", "/h/c.json")).toThrow(/in \/h\/c.json/);
  });
  test("a corrupt file is reported with its path", () => {
    const f = join(tempDir(), "runcode-config.json");
    writeFileSync(f, "{ nope");
    expect(() => readConfig(f)).toThrow(f);
  });
});
