import { performance } from 'node:perf_hooks';
import { assess } from '../src/domain/assess.js';
import { sampleCaseFacts } from '../src/domain/facts/arbitrary.js';

/**
 * Rules-engine throughput: `assess` (validation plus the full assessment with explanations) over 5,000 varied valid
 * case facts from the test generator (src/domain/facts/arbitrary.ts) with a fixed seed, parsed from JSON as the CLI
 * and API receive them; one core, about 5 s after a 1 s warm-up. Target 20,000 cases/s. `casesPerCpuSecond` counts
 * this process's CPU time (GC threads included), which varies less than wall time on a shared machine.
 */
export async function benchAssess(cases = 5_000, durationS = 5, seed = 20260101): Promise<Record<string, unknown>> {
  // As the CLI and the API receive them: parsed from JSON text.
  const facts: unknown[] = sampleCaseFacts(cases, seed).map((f) => JSON.parse(JSON.stringify(f)) as unknown);
  let invalid = 0;
  let explanations = 0;
  let withTemplate = 0;
  for (const f of facts) {
    const r = assess(f);
    if (!r.ok) invalid++;
    else {
      explanations += r.assessment.explanations.length;
      if (r.assessment.treatmentTemplate !== null) withTemplate++;
    }
  }
  // Warm-up: let the JIT settle before timing.
  const warmUntil = performance.now() + 1_000;
  while (performance.now() < warmUntil) for (const f of facts) assess(f);

  let done = 0;
  let sink = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const stop = start + durationS * 1_000;
  const passes: number[] = [];
  while (performance.now() < stop) {
    const t0 = performance.now();
    for (const f of facts) {
      const r = assess(f);
      if (r.ok) sink += r.assessment.explanations.length;
    }
    passes.push(performance.now() - t0);
    done += facts.length;
  }
  const elapsedS = (performance.now() - start) / 1_000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  passes.sort((a, b) => a - b);
  const median = passes[Math.floor(passes.length / 2)] ?? 0;
  return {
    cases, seed, invalid, casesWithTemplate: withTemplate, meanExplanationsPerCase: +(explanations / cases).toFixed(1),
    durationS: +elapsedS.toFixed(2), assessed: done,
    casesPerSecond: Math.round(done / elapsedS),
    medianPassCasesPerSecond: median > 0 ? Math.round(cases / (median / 1_000)) : null,
    microsecondsPerCase: +((elapsedS * 1e6) / done).toFixed(1),
    // CPU time of this process: steadier than wall time when other work shares the machine.
    cpuS: +cpuS.toFixed(2), casesPerCpuSecond: Math.round(done / cpuS),
    target: 20_000, check: sink > 0,
  };
}
