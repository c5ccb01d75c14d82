// Task: the run's todo list (a sub-agent has its own). The model replaces the whole list each call; the list is shown back so it can
// track progress on multi-step work.
import { fail, type Tool } from "./types";

type Todo = { content: string; status: "pending" | "in_progress" | "completed"; id?: string };
type Input = { todos: Todo[] };

export const Task: Tool<Input> = {
  name: "Task",
  description: `Keep a todo list for the current task. Each call replaces the whole list.
- todos: [{content, status: "pending" | "in_progress" | "completed", id?}].
- Use it for work with 3 or more steps: write the plan, mark one item in_progress while working on it, mark items completed as soon as they are done.`,
  input_schema: {
    type: "object",
    properties: {
      todos: {
        type: "array",
        items: {
          type: "object",
          properties: {
            content: { type: "string", description: "what to do" },
            status: { type: "string", enum: ["pending", "in_progress", "completed"] },
            id: { type: "string" },
          },
          required: ["content", "status"],
        },
      },
    },
    required: ["todos"],
  },
  mutating: false,
  async run(input, ctx) {
    if (input.todos.filter((t) => t.status === "in_progress").length > 1) return fail("only one todo may be in_progress at a time");
    ctx.todos.splice(0, ctx.todos.length, ...input.todos);
    if (!input.todos.length) return { output: "todo list cleared" };
    const mark = { pending: "[ ]", in_progress: "[~]", completed: "[x]" } as const;
    return { output: input.todos.map((t) => `${mark[t.status]} ${t.content}`).join("\n") };
  },
};
