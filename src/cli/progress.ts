/** Where progress goes: stderr, so stdout keeps only the command's answer. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

export interface Progress {
  /** Starts a phase of `total` items. */
  start(label: string, total: number): void;
  /** `done` more items of the phase are finished. */
  advance(done: number): void;
  /** Ends the current phase. */
  finish(): void;
}

const BAR_WIDTH = 30;

const number = (n: number) => n.toLocaleString('en-US');

/**
 * A progress bar redrawn in place on a terminal, or one plain line per step
 * elsewhere (CI logs, files), so logs stay readable. `quiet` shows nothing.
 */
export function createProgress(stream: ProgressStream = process.stderr, options: { quiet?: boolean } = {}): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let open = false;
  if (options.quiet) return { start: () => undefined, advance: () => undefined, finish: () => undefined };

  const render = () => {
    const share = total ? done / total : 1;
    if (stream.isTTY) {
      const filled = Math.round(share * BAR_WIDTH);
      const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
      stream.write(`\r\x1b[2K${label} [${bar}] ${number(done)}/${number(total)} (${Math.floor(share * 100)}%)`);
    } else {
      stream.write(`${label}: ${number(done)}/${number(total)} (${Math.floor(share * 100)}%)\n`);
    }
  };

  return {
    start(nextLabel, nextTotal) {
      if (open) this.finish();
      label = nextLabel;
      total = nextTotal;
      done = 0;
      open = true;
      if (stream.isTTY) render();
    },
    advance(count) {
      done = Math.min(total, done + count);
      render();
    },
    finish() {
      if (open && stream.isTTY) stream.write('\n');
      open = false;
    },
  };
}
