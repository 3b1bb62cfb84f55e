import { parseArgs } from 'node:util';
import { AppError, validationError } from '../domain/errors.js';
import { storeOptions } from '../config.js';
import { migrate, openStore, type Store } from '../store/db.js';
import { institutionsRepo, usersRepo } from '../store/users.repo.js';
import { auth, newUserSchema } from '../services/auth.service.js';
import { newId, type Services } from '../services/context.js';
import { loadDemo } from '../services/demo.service.js';

export async function withStore<T>(dbFlag: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(storeOptions(dbFlag));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function migrateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: 'string' } }, strict: true });
  return withStore(values.db, async (store) => {
    const applied = await migrate(store);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
    return 0;
  });
}

export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args, options: { db: { type: 'string' }, patients: { type: 'string' }, seed: { type: 'string' } }, strict: true,
  });
  const patients = values.patients === undefined ? undefined : Number(values.patients);
  if (patients !== undefined && !(Number.isInteger(patients) && patients >= 1 && patients <= 100_000)) {
    throw new AppError('bad_request', '--patients: must be a whole number from 1 to 100000', { field: 'patients' });
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new AppError('bad_request', '--seed: must be a whole number', { field: 'seed' });
  return withStore(values.db, async (store) => {
    await migrate(store);
    if (await usersRepo.count(store.db) > 0) {
      throw new AppError('conflict', 'the database already has data: demo data loads only into an empty database');
    }
    const s: Services = { store, now: () => new Date() };
    const res = await loadDemo(s, { ...(patients ? { patients } : {}), ...(seed !== undefined ? { seed } : {}) });
    process.stdout.write(`demo program loaded: ${res.patients} patients, ${res.users} accounts (${store.location})\n`);
    return 0;
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function userAddCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      db: { type: 'string' }, role: { type: 'string' }, discipline: { type: 'string' }, name: { type: 'string' },
      institution: { type: 'string' },
    },
  });
  const password = process.env.TUMORBOARD_PASSWORD ?? (await readStdin()).replace(/\r?\n$/, '');
  const parsed = newUserSchema.safeParse({
    username: positionals[0], displayName: values.name ?? positionals[0], role: values.role,
    ...(values.discipline ? { discipline: values.discipline } : {}), password,
  });
  if (!parsed.success) throw validationError(parsed.error.issues);
  return withStore(values.db, async (store) => {
    await migrate(store);
    const s: Services = { store, now: () => new Date() };
    let inst = (await institutionsRepo.list(store.db))[0];
    if (!inst) {
      const name = values.institution ?? 'My Institution';
      inst = { id: newId(), code: name.replace(/[^A-Za-z]/g, '').slice(0, 6).toUpperCase() || 'INST', name };
      await institutionsRepo.insert(store.db, { ...inst, created_at: new Date().toISOString() });
    }
    const user = await auth.createUser(s, null, inst.id, parsed.data);
    process.stdout.write(`created ${user.role} ${user.username} at ${inst.name}\n`);
    return 0;
  });
}
