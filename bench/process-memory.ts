import { readFileSync } from 'node:fs';

/** Resident memory of a process from /proc (Linux); undefined elsewhere or once it is gone. */
export function memoryOf(pid: number): { rssBytes: number; peakRssBytes: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * Samples VmRSS of a few processes every interval, and reads VmHWM (the
 * kernel's own peak) at the end; the sampled maximum shows when the peak
 * happened, per phase, which VmHWM alone cannot.
 */
export class MemorySampler {
  private readonly peaks = new Map<string, number>();
  private readonly phasePeaks = new Map<string, Map<string, number>>();
  private phase = 'start';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: Record<string, number | undefined>) {}

  start(intervalMs = 500): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  enterPhase(phase: string): void {
    this.sample();
    this.phase = phase;
  }

  stop(): void {
    this.sample();
    if (this.timer) clearInterval(this.timer);
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      if (pid === undefined) continue;
      const memory = memoryOf(pid);
      if (!memory) continue;
      this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, memory.rssBytes));
      const phases = this.phasePeaks.get(name) ?? new Map<string, number>();
      phases.set(this.phase, Math.max(phases.get(this.phase) ?? 0, memory.rssBytes));
      this.phasePeaks.set(name, phases);
    }
  }

  /** Per process: the kernel's peak (VmHWM), the sampled peak, and the sampled peak of each phase. */
  report(): Record<string, { peakRssBytes: number | null; sampledPeakRssBytes: number | null; byPhase: Record<string, number> }> {
    const out: Record<string, { peakRssBytes: number | null; sampledPeakRssBytes: number | null; byPhase: Record<string, number> }> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      out[name] = {
        peakRssBytes: pid === undefined ? null : memoryOf(pid)?.peakRssBytes ?? null,
        sampledPeakRssBytes: this.peaks.get(name) ?? null,
        byPhase: Object.fromEntries(this.phasePeaks.get(name) ?? []),
      };
    }
    return out;
  }
}
