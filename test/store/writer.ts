// A second runcode process for the concurrency test: appends turns and records requests as fast as it can.
import { openStore } from "../../src/store/open";

const [home, tag, n] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4])];
const store = openStore({ home, warn: () => {} });
const session = store.createSession({ cwd: `/w/${tag}`, model: "m" });
for (let i = 0; i < n; i++) {
  store.append(session, [
    { role: "user", content: `${tag} prompt ${i}` },
    { role: "assistant", content: [{ type: "text", text: `${tag} answer ${i}` }] },
  ]);
  store.recordRequest({
    session,
    source: tag === "proxy" ? "proxy" : "agent",
    model: `model-${tag}`,
    input: 10,
    output: 5,
    usd: 0.001,
    latencyMs: i,
    status: "ok",
  });
}
store.close();
process.stdout.write("done\n");
