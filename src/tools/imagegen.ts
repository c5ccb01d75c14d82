// ImageGen: the gateway's /v1/images/generations (OpenAI images shape), paid through the payment seam. The image
// is saved inside the project and its path returned. Slow jobs answer 202 with an id that is polled.
import { display, fileSubject, projectPath } from "./paths";
import { fail, type CallContext, type Tool } from "./types";

type Input = { prompt: string; size?: string; path?: string };
type Images = { data?: Array<{ b64_json?: string; url?: string }>; id?: string; status?: string; error?: unknown };

export const IMAGE_MODEL = "openai/gpt-image-1";

export const ImageGen: Tool<Input> = {
  name: "ImageGen",
  description: `Generate an image from a text prompt and save it as a PNG file in the project. Returns the saved path. Costs money on paid models.
- prompt: a detailed description of the image.
- size: "1024x1024" (default), "1536x1024" or "1024x1536".
- path: where to save it (default generated-<time>.png in the working directory).`,
  input_schema: {
    type: "object",
    properties: {
      prompt: { type: "string", description: "what the image should show" },
      size: { type: "string", enum: ["1024x1024", "1536x1024", "1024x1536", "512x512", "256x256"] },
      path: { type: "string", description: "file to save the PNG to" },
    },
    required: ["prompt"],
  },
  mutating: true,
  subject: (i, ctx) => fileSubject(i.path ?? ".", ctx),
  async run(input, ctx) {
    if (!ctx.gateway) return fail("image generation is not available in this run");
    const target = projectPath(input.path ?? `generated-${new Date().toISOString().replace(/[:.]/g, "-")}.png`, ctx);
    if ("error" in target) return fail(target.error);
    let body: Images;
    try {
      const { response } = await ctx.gateway.post(
        "/v1/images/generations",
        { model: IMAGE_MODEL, prompt: input.prompt, n: 1, size: input.size ?? "1024x1024", response_format: "b64_json" },
        { signal: ctx.signal, model: IMAGE_MODEL },
      );
      body = (await response.json()) as Images;
      if (response.status === 202 || (!body.data?.length && body.id)) body = await poll(body.id, ctx);
    } catch (err) {
      return fail(`image generation failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const first = body.data?.[0];
    let bytes: Uint8Array | undefined;
    if (first?.b64_json) bytes = Buffer.from(first.b64_json, "base64");
    else if (first?.url) {
      const res = await (ctx.fetch ?? fetch)(new Request(first.url, { signal: ctx.signal }));
      if (!res.ok) return fail(`downloading the generated image failed: ${res.status}`);
      bytes = new Uint8Array(await res.arrayBuffer());
    }
    if (!bytes?.length) return fail("the gateway returned no image");
    const existed = ctx.files.stat(target.path);
    if (existed) {
      const stale = ctx.reads.check(target.path, ctx.files);
      if (stale) return fail(`${stale} (or pick another path)`);
    }
    ctx.files.write(target.path, bytes);
    ctx.changes.record({
      path: target.path,
      before: null,
      after: `[image, ${bytes.length} bytes]`,
      tool: "ImageGen",
      call: ctx.call,
      binary: true,
    });
    return { output: `saved ${display(target.path, ctx.root)} (${bytes.length} bytes)` };
  },
};

async function poll(id: string | undefined, ctx: CallContext): Promise<Images> {
  if (!id) throw new Error("the gateway accepted the job but sent no id to poll");
  for (let i = 0; i < 120; i++) {
    await Bun.sleep(i === 0 ? 500 : 2000);
    if (ctx.signal.aborted) throw new Error("interrupted");
    const res = await ctx.gateway!.get(`/v1/images/generations/${encodeURIComponent(id)}`, { signal: ctx.signal });
    const b = (await res.json()) as Images;
    if (b.data?.length) return b;
    if (b.status === "failed" || b.error) throw new Error(`the job failed: ${JSON.stringify(b.error ?? b.status)}`);
  }
  throw new Error("the image job did not finish within 4 minutes");
}
