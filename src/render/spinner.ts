// The one spinner: while a model call has not answered, a dimmed frame and its label, redrawn in place on the
// terminal. The first frame waits 80 ms, so a quick answer never flickers; stop() erases the line only when a frame
// was drawn. The caller decides whether there is a terminal to spin on.
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

// Cursor control, which picocolors does not do: back to the line start, erase to its end.
const CLEAR = "\r\x1b[K";

export type Spinner = { start: (label: string) => void; stop: () => void };

export function spinner(write: (s: string) => void, dim: (s: string) => string): Spinner {
  let timer: ReturnType<typeof setInterval> | undefined;
  let drawn = false;
  return {
    start(label) {
      if (timer) return;
      let i = 0;
      timer = setInterval(() => {
        drawn = true;
        write(`${CLEAR}${dim(`${FRAMES[i++ % FRAMES.length]} ${label}`)}`);
      }, 80);
      // A spinner never keeps the process alive on its own.
      timer.unref?.();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      if (drawn) write(CLEAR);
      drawn = false;
    },
  };
}
