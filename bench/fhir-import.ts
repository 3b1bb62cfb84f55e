import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate, openStore, type Store } from '../src/store/db.js';
import { institutionsRepo } from '../src/store/users.repo.js';
import { newId, type Services } from '../src/services/context.js';
import { fhirImport } from '../src/services/fhir-import.service.js';
import { demoBundles, transactionOf } from '../test/support/fhir-records.js';

/**
 * Issue #8 figure: import of a 1,000-patient bundle set in under 30 s (SQLite). The set is synthetic: 1,000 demo
 * patients (seeded generator) exported by TumorBoard's own FHIR export, one collection Bundle per patient, as another
 * TumorBoard or an EHR would send them. Two runs on fresh databases:
 *  (a) the 1,000 bundles imported one after another, each its own all-or-nothing transaction (JSON parsed from text,
 *      as the HTTP route and the CLI receive it);
 *  (b) the same patients as ONE transaction Bundle (the whole set all-or-nothing).
 * Then (c) re-importing set (a) into the same database: every patient matched by MRN, nothing written twice.
 */

const PATIENTS = 1_000;

async function freshStore(dir: string, name: string): Promise<{ s: Services; store: Store; institutionId: string }> {
  const store = openStore({ file: path.join(dir, `${name}.db`) });
  await migrate(store);
  const institutionId = newId();
  await institutionsRepo.insert(store.db, { id: institutionId, code: 'LCH', name: 'Bench Children\'s Hospital', created_at: new Date().toISOString() });
  return { s: { store, now: () => new Date() }, store, institutionId };
}

export async function benchFhirImport(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bench-fhir-import-'));
  try {
    let t0 = performance.now();
    const bundles = demoBundles(PATIENTS, { seed: 8080 });
    const texts = bundles.map((b) => JSON.stringify(b));
    const generateS = (performance.now() - t0) / 1000;
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    const resources = bundles.reduce((n, b) => n + (b.entry?.length ?? 0), 0);

    const a = await freshStore(dir, 'a');
    t0 = performance.now();
    let created = 0;
    for (const text of texts) {
      const r = await fhirImport.importBundle(a.s, null, JSON.parse(text), { institutionId: a.institutionId, byteLength: text.length });
      created += r.counts.patientsCreated;
    }
    const perBundleS = (performance.now() - t0) / 1000;

    t0 = performance.now();
    let matched = 0;
    for (const text of texts) {
      const r = await fhirImport.importBundle(a.s, null, JSON.parse(text), { institutionId: a.institutionId });
      matched += r.counts.patientsMatched;
    }
    const reimportS = (performance.now() - t0) / 1000;
    await a.store.close();

    const b = await freshStore(dir, 'b');
    const one = JSON.stringify(transactionOf(bundles));
    t0 = performance.now();
    const rb = await fhirImport.importBundle(b.s, null, JSON.parse(one), { institutionId: b.institutionId, byteLength: Buffer.byteLength(one) });
    const oneBundleS = (performance.now() - t0) / 1000;
    await b.store.close();

    return {
      patients: PATIENTS, resources, megabytes: +(bytes / 1048576).toFixed(1), generateSeconds: +generateS.toFixed(2),
      bundleSetSeconds: +perBundleS.toFixed(2), patientsCreated: created,
      oneTransactionSeconds: +oneBundleS.toFixed(2), oneTransactionMegabytes: +(Buffer.byteLength(one) / 1048576).toFixed(1), oneTransactionCreated: rb.counts.patientsCreated,
      reimportSeconds: +reimportS.toFixed(2), reimportMatched: matched,
      targetSeconds: 30, pass: perBundleS < 30 && oneBundleS < 30,
      loadAverage1m: +os.loadavg()[0]!.toFixed(2),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  benchFhirImport().then((r) => { process.stdout.write(`${JSON.stringify(r, null, 2)}\n`); process.exit(0); }, (err) => { console.error(err); process.exit(1); });
}
