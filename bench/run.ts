/**
 * Benchmarks for the figures the issues ask for. `npm run bench` runs them all and writes bench/results/latest.json;
 * `npm run bench -- startup search` runs a subset. Everything talks only to 127.0.0.1 and stops by itself.
 */
import fs from 'node:fs';
import path from 'node:path';

type Bench = { name: string; run: () => Promise<Record<string, unknown>> };

const benches: Bench[] = [
  { name: 'startup', run: async () => (await import('./startup.js')).benchStartup() },
  { name: 'search', run: async () => (await import('./search.js')).benchSearch() },
  { name: 'assess', run: async () => (await import('./assess.js')).benchAssess() },
  { name: 'agenda', run: async () => (await import('./agenda.js')).benchAgenda() },
  { name: 'referrals', run: async () => (await import('./referrals.js')).benchReferrals() },
  { name: 'live-app', run: async () => (await import('./live-app.js')).benchLiveApp() },
  { name: 'plan-edit', run: async () => (await import('./plan-edit.js')).benchPlanEdit() },
  { name: 'live', run: async () => (await import('./live.js')).benchLive() },
  { name: 'trials', run: async () => (await import('./trials.js')).benchTrials() },
  { name: 'plan', run: async () => (await import('./plan.js')).benchPlan() },
  { name: 'fhir-export', run: async () => (await import('./fhir.js')).benchFhirExport() },
  { name: 'analytics', run: async () => (await import('./analytics.js')).benchAnalytics() },
  { name: 'fhir-bulk', run: async () => (await import('./fhir-bulk.js')).benchFhirBulk() },
  { name: 'fhir-import', run: async () => (await import('./fhir-import.js')).benchFhirImport() },
  { name: 'audit-chain', run: async () => (await import('./audit-chain.js')).benchAuditChain() },
  { name: 'conference-load', run: async () => (await import('./conference-load.js')).benchConferenceLoad() },
  { name: 'cost-of-safety', run: async () => (await import('./cost-of-safety.js')).benchCostOfSafety() },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
  for (const b of benches) {
    if (wanted.length && !wanted.includes(b.name)) continue;
    process.stdout.write(`\n== ${b.name}\n`);
    const r = await b.run();
    results[b.name] = r;
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  }
  const dir = path.join(import.meta.dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
