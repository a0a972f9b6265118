import type { BenchResult } from './run';
import { LatencySummary } from './stats';

/** The Markdown report: one table a reviewer can read without the JSON. */
export const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? 'n/a' : value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toString());
export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const mib = (bytes: number | null | undefined) => (bytes ? `${int(bytes / 1024 / 1024)} MiB` : 'n/a');
export const escape = (text: string) => text.replace(/\|/g, '\\|');

function latencyCells(summary: LatencySummary | undefined): string {
  return summary ? `${ms(summary.medianMs)} | ${ms(summary.p99Ms)} | ${summary.runs}` : 'n/a | n/a | 0';
}

export function renderMarkdown(result: BenchResult): string {
  const { settings, machine, graph, load } = result;
  const lines: string[] = [];
  lines.push(`## svcmap benchmark, size ${settings.size}${settings.smoke ? ' (smoke)' : ''}`);
  lines.push('');
  lines.push(
    `${int(graph.cis)} CIs and ${int(graph.dependencies)} dependencies (seed ${settings.seed}` +
      `${graph.softShare !== undefined ? `, ${(graph.softShare * 100).toFixed(1)}% soft` : ''}), generated in ${graph.generateSeconds.toFixed(1)} s. ` +
      `Command: \`${result.command}\`, ${result.startedAt}.`,
  );
  lines.push('');
  lines.push(
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${mib(machine.totalMemoryBytes)} memory, load average ` +
      `${machine.loadAverageAtStart.map((l) => l.toFixed(1)).join('/')} at start, Node ${machine.node}, ${machine.neo4j} ` +
      `(${machine.neo4jHow}${machine.neo4jHow === 'embedded' ? `, heap ${settings.heap}, page cache ${settings.pageCache}` : ''}), commit ${machine.gitCommit}. ` +
      'Service, Neo4j and the load generator share the machine.',
  );
  lines.push('');
  lines.push('| load through the API | elements/s | seconds | elements | CIs/s | dependencies/s | batch median ms | batch p99 ms |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [label, run] of [
    [`sync throughput (first load, ${load.first?.mode ?? settings.loadMode})`, load.first],
    ['unchanged re-load', load.reload],
  ] as const) {
    if (!run) {
      lines.push(`| ${label} | n/a | | | | | | |`);
      continue;
    }
    lines.push(
      `| ${label} | ${int(run.elementsPerSecond)} | ${run.seconds.toFixed(1)} | ${int(run.elements)} | ${int(run.cisPerSecond)} | ` +
        `${int(run.dependenciesPerSecond)} | ${ms(run.batchLatency.medianMs)} | ${ms(run.batchLatency.p99Ms)} |`,
    );
  }
  lines.push('');
  lines.push('| read | median ms | p99 ms | runs | what |');
  lines.push('| --- | ---: | ---: | ---: | --- |');
  for (const row of result.latency) lines.push(`| ${escape(row.name)} | ${latencyCells(row.summary)} | ${escape(row.note)} |`);
  for (const row of result.operations) {
    lines.push(`| ${escape(row.name)} | ${row.skipped ? 'n/a | n/a | 0' : latencyCells(row.summary)} | ${escape(row.note)} |`);
  }
  lines.push('');
  const http = result.httpLoad;
  if (http) {
    lines.push('| mixed HTTP load | req/s | p50 ms | p99 ms | max ms | requests | errors |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const errors = http.errors + http.timeouts + http.non2xx + http.graphqlErrors;
    lines.push(
      `| ${http.connections} connections, ${http.durationSeconds} s | ${int(http.requestsPerSecond)} | ${ms(http.p50Ms)} | ${ms(http.p99Ms)} | ` +
        `${ms(http.maxMs)} | ${int(http.requests)} | ${errors}${errors ? ` (${http.errors} socket, ${http.timeouts} timeouts, ${http.non2xx} non-2xx, ${http.graphqlErrors} GraphQL)` : ''} |`,
    );
    lines.push('');
    lines.push(`Mix: ${http.mix}.`);
    lines.push('');
  }
  lines.push('| peak resident memory | VmHWM | sampled peak | during first load | during reads and load |');
  lines.push('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, memory] of Object.entries(result.memory)) {
    const reads = Math.max(memory.byPhase['reads'] ?? 0, memory.byPhase['http load'] ?? 0);
    lines.push(`| ${name} | ${mib(memory.peakRssBytes)} | ${mib(memory.sampledPeakRssBytes)} | ${mib(memory.byPhase['first load'])} | ${mib(reads)} |`);
  }
  if (result.cpu.length) {
    const names = Object.keys(result.cpu[0].cpuSeconds);
    lines.push('');
    lines.push(`| CPU seconds per phase | wall s | ${names.join(' | ')} |`);
    lines.push(`| --- | ---: | ${names.map(() => '---:').join(' | ')} |`);
    for (const row of result.cpu) {
      lines.push(`| ${row.phase} | ${row.seconds.toFixed(1)} | ${names.map((n) => (row.cpuSeconds[n] ?? 0).toFixed(1)).join(' | ')} |`);
    }
  }
  for (const [phase, rows] of [
    ['loads (first and re-load)', result.timeSpent.load],
    ['sequential reads', result.timeSpent.reads],
    ['mixed HTTP load', result.timeSpent.httpLoad],
  ] as const) {
    if (!rows.length) continue;
    lines.push('');
    lines.push(`| where the service spent its time: ${phase} | calls | total s | mean ms |`);
    lines.push('| --- | ---: | ---: | ---: |');
    for (const row of rows) lines.push(`| ${escape(row.name)} | ${int(row.count)} | ${row.totalSeconds.toFixed(1)} | ${ms(row.meanMs)} |`);
  }
  if (result.notes.length) {
    lines.push('');
    for (const note of result.notes) lines.push(`- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}
