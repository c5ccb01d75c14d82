// A one-line spinner on stderr, only when stderr is a TTY. Cleared before any answer text is written.
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function spinner(stream: NodeJS.WriteStream = process.stderr) {
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    start(label: string) {
      if (!stream.isTTY || timer) return;
      let i = 0;
      timer = setInterval(() => stream.write(`\r${FRAMES[i++ % FRAMES.length]} ${label}`), 80);
    },
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = undefined;
      stream.write("\r\x1b[2K");
    },
  };
}
