// AskUser: a question for the user, through the function the front end injects (the REPL asks on the TTY).
// Non-interactive runs have no one to ask; the model is told so and should decide by itself.
import type { Tool } from "./types";

type Input = { question: string; options?: string[] };

export const AskUser: Tool<Input> = {
  name: "AskUser",
  description: `Ask the user a question when you cannot proceed without their decision (ambiguous requirements, a choice between approaches).
- question: one clear question. options: suggested answers, if the choice is among a few.
- In non-interactive runs there is no user: you will get "no user available" and must decide yourself.`,
  input_schema: {
    type: "object",
    properties: {
      question: { type: "string", description: "the question" },
      options: { type: "array", items: { type: "string" }, description: "suggested answers" },
    },
    required: ["question"],
  },
  mutating: false,
  async run(input, ctx) {
    if (!ctx.ask)
      return { output: "no user available (non-interactive run): make a reasonable choice yourself and say which in your answer" };
    const answer = await ctx.ask({ question: input.question, options: input.options });
    return { output: answer?.trim() ? `the user answered: ${answer.trim()}` : "the user did not answer" };
  },
};
