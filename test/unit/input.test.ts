import { describe, expect, test } from "bun:test";
import { mergePrompt, readStdin } from "../../src/cli/input";
import { ActionableError } from "../../src/core/errors";

const stream = (b: Uint8Array | string) => new Blob([b]).stream();

describe("mergePrompt", () => {
  test("argument is the instruction, stdin is fenced context", () => {
    expect(mergePrompt(["review", "this"], "diff --git a b\n")).toBe("review this\n\n```\ndiff --git a b\n```");
  });
  test("the fence outgrows backtick runs inside the context", () => {
    expect(mergePrompt(["x"], "```js\n1\n```")).toBe("x\n\n````\n```js\n1\n```\n````");
  });
  test("`-` takes the prompt from stdin", () => {
    expect(mergePrompt(["-"], "  what is 402?\n")).toBe("what is 402?");
  });
  test("stdin alone is the prompt", () => {
    expect(mergePrompt([], "hello\n")).toBe("hello");
  });
  test("nothing at all is a usage error", () => {
    expect(() => mergePrompt([], "")).toThrow(ActionableError);
    expect(() => mergePrompt(["-"], "  ")).toThrow(/stdin was empty/);
  });
});

describe("readStdin", () => {
  test("refuses input above the limit", async () => {
    await expect(readStdin(stream("x".repeat(2000)), 1000)).rejects.toThrow(/larger than/);
  });
  test("refuses binary input", async () => {
    await expect(readStdin(stream(new Uint8Array([0x89, 0x50, 0, 1, 2])), 1000)).rejects.toThrow(/binary/);
    await expect(readStdin(stream(new Uint8Array([0xff, 0xfe, 0xfd, 0x41])), 1000)).rejects.toThrow(/binary/);
  });
  test("reads UTF-8 text whole", async () => {
    expect(await readStdin(stream("héllo 世界"), 1000)).toBe("héllo 世界");
  });
});
