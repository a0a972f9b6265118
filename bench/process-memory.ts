import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat; undefined elsewhere. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

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
  /** CPU seconds used per process and phase, and the reading at the start of the current phase. */
  private readonly phaseCpu = new Map<string, Map<string, number>>();
  private readonly cpuAtPhaseStart = new Map<string, number>();
  private phase = 'start';
  private phaseStartedAt = performance.now();
  private readonly phaseSeconds = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: Record<string, number | undefined>) {}

  start(intervalMs = 500): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  enterPhase(phase: string): void {
    this.sample();
    this.closePhase();
    this.phase = phase;
  }

  stop(): void {
    this.sample();
    this.closePhase();
    this.phase = 'stopped';
    if (this.timer) clearInterval(this.timer);
  }

  private closePhase(): void {
    const now = performance.now();
    if (this.phase !== 'stopped') this.phaseSeconds.set(this.phase, (this.phaseSeconds.get(this.phase) ?? 0) + (now - this.phaseStartedAt) / 1000);
    this.phaseStartedAt = now;
    for (const [name, pid] of Object.entries(this.pids)) {
      const cpu = pid === undefined ? undefined : cpuSecondsOf(pid);
      if (cpu === undefined) continue;
      const startedAt = this.cpuAtPhaseStart.get(name);
      if (startedAt !== undefined && this.phase !== 'stopped') {
        const phases = this.phaseCpu.get(name) ?? new Map<string, number>();
        phases.set(this.phase, (phases.get(this.phase) ?? 0) + cpu - startedAt);
        this.phaseCpu.set(name, phases);
      }
      this.cpuAtPhaseStart.set(name, cpu);
    }
  }

  /** Per phase: wall-clock seconds, and CPU seconds each process used (2 cores give at most 2 per second). */
  cpuReport(): { phase: string; seconds: number; cpuSeconds: Record<string, number> }[] {
    return [...this.phaseSeconds]
      .filter(([phase]) => phase !== 'start')
      .map(([phase, seconds]) => ({
        phase,
        seconds,
        cpuSeconds: Object.fromEntries([...this.phaseCpu].map(([name, phases]) => [name, phases.get(phase) ?? 0])),
      }));
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
