import { parentPort } from 'node:worker_threads';
import type { Bundle } from '@medplum/fhirtypes';
import { validateBundle, warmUpValidators } from '../domain/fhir/validate.js';

/**
 * A validation worker (see fhir-validation-pool.ts): indexes the R4 definitions once, then validates the bundles it
 * is sent and answers each batch's issues in order.
 */
warmUpValidators();
parentPort!.on('message', (msg: { id: number; bundles: Bundle[] }) => {
  parentPort!.postMessage({ id: msg.id, issues: msg.bundles.map((b) => validateBundle(b)) });
});
parentPort!.postMessage({ ready: true });
