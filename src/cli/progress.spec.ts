import { createProgress } from './progress';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, write: (chunk: string) => chunks.push(chunk) };
}

describe('createProgress', () => {
  it('redraws one bar in place on a terminal', () => {
    const tty = stream(true);
    const progress = createProgress(tty);
    progress.start('pushing CIs', 4000);
    progress.advance(2000);
    progress.advance(2000);
    progress.finish();
    expect(tty.chunks).toEqual([
      `\r\x1b[2Kpushing CIs [${'-'.repeat(30)}] 0/4,000 (0%)`,
      `\r\x1b[2Kpushing CIs [${'#'.repeat(15)}${'-'.repeat(15)}] 2,000/4,000 (50%)`,
      `\r\x1b[2Kpushing CIs [${'#'.repeat(30)}] 4,000/4,000 (100%)`,
      '\n',
    ]);
  });

  it('writes plain lines elsewhere, and nothing when quiet', () => {
    const log = stream(false);
    const progress = createProgress(log);
    progress.start('pushing dependencies', 3);
    progress.advance(2);
    progress.advance(1);
    progress.finish();
    expect(log.chunks).toEqual(['pushing dependencies: 2/3 (66%)\n', 'pushing dependencies: 3/3 (100%)\n']);
    const silent = stream(true);
    const none = createProgress(silent, { quiet: true });
    none.start('x', 1);
    none.advance(1);
    none.finish();
    expect(silent.chunks).toEqual([]);
  });
});
