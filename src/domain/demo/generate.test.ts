import { afterEach, describe, expect, test, vi } from 'vitest';
import { MORPHOLOGY, tumorFamily } from '../coding/morphology.js';
import { CASE_STATUSES, CASE_TRANSITIONS, patientInputSchema, tumorInputSchema, type TumorInput } from '../registry/types.js';
import { DAYS_PER_YEAR, dayFromIsoDate } from './dates.js';
import {
  type DemoPatient, FAMILY_MIX, INCOMPLETE_SHARE, INTERNATIONAL_SHARE, STATUS_MIX, generateDemoPatients, hasFact, keyFactPaths,
} from './generate.js';

const TODAY = '2025-06-15';
const TODAY_DAY = dayFromIsoDate(TODAY);
const N = 2_000;
const program = generateDemoPatients({ seed: 20_250_615, count: N, today: TODAY });

const first = (p: DemoPatient) => p.tumors[0] as TumorInput;
const familyOf = (t: TumorInput) => tumorFamily(t.morphology);
const share = <T>(xs: readonly T[], pred: (x: T) => boolean) => xs.filter(pred).length / xs.length;
const ageYears = (p: DemoPatient, t: TumorInput) => (dayFromIsoDate(t.diagnosisDate) - dayFromIsoDate(p.patient.birthDate)) / DAYS_PER_YEAR;
const allTumors = program.flatMap((p) => p.tumors.map((t) => ({ p, t })));
const allCases = program.flatMap((p) => p.cases.map((c) => ({ p, c })));
const names = program.flatMap((p) => [p.patient.givenName, p.patient.familyName, ...p.patient.guardians.map((g) => g.name)]);

describe('determinism', () => {
  test('the same seed, count and today give a deep-equal program', () => {
    const opts = { seed: 7, count: 300, today: TODAY };
    expect(generateDemoPatients(opts)).toEqual(generateDemoPatients(opts));
  });

  test('different seeds give different programs', () => {
    const a = generateDemoPatients({ seed: 1, count: 50, today: TODAY });
    const b = generateDemoPatients({ seed: 2, count: 50, today: TODAY });
    expect(a).not.toEqual(b);
    expect(a.map((p) => p.patient.givenName)).not.toEqual(b.map((p) => p.patient.givenName));
  });

  test('a smaller program is a prefix of a larger one with the same seed', () => {
    const small = generateDemoPatients({ seed: 3, count: 40, today: TODAY });
    const large = generateDemoPatients({ seed: 3, count: 120, today: TODAY });
    expect(large.slice(0, 40)).toEqual(small);
  });

  describe('purity', () => {
    afterEach(() => { vi.restoreAllMocks(); });

    test('generation reads neither the clock nor Math.random', () => {
      vi.spyOn(Math, 'random').mockImplementation(() => { throw new Error('Math.random used'); });
      vi.spyOn(Date, 'now').mockImplementation(() => { throw new Error('Date.now used'); });
      expect(() => generateDemoPatients({ seed: 9, count: 200, today: TODAY })).not.toThrow();
    });
  });
});

describe('options', () => {
  test('MRNs are unique within a call and look like TB-000123', () => {
    const mrns = program.map((p) => p.patient.mrn);
    expect(new Set(mrns).size).toBe(N);
    for (const mrn of mrns) expect(mrn).toMatch(/^TB-\d{6}$/);
  });

  test('the MRN prefix is configurable', () => {
    const ps = generateDemoPatients({ seed: 1, count: 3, today: TODAY, mrnPrefix: 'DEMO-X' });
    expect(ps.map((p) => p.patient.mrn)).toEqual(['DEMO-X-000001', 'DEMO-X-000002', 'DEMO-X-000003']);
  });

  test('a count of zero gives an empty program', () => {
    expect(generateDemoPatients({ seed: 1, count: 0, today: TODAY })).toEqual([]);
  });

  test.each([
    ['a negative count', { count: -1 }],
    ['a fractional count', { count: 2.5 }],
    ['an impossible date', { today: '2025-02-30' }],
    ['a date in another format', { today: '15/06/2025' }],
    ['an MRN prefix with a space', { mrnPrefix: 'T B' }],
    ['an empty MRN prefix', { mrnPrefix: '' }],
  ])('rejects %s', (_label, bad) => {
    expect(() => generateDemoPatients({ seed: 1, count: 1, today: TODAY, ...bad })).toThrow(RangeError);
  });
});

describe('record validity', () => {
  test('every patient parses with patientInputSchema unchanged', () => {
    for (const { patient } of program) {
      const parsed = patientInputSchema.safeParse(patient);
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(parsed.data).toEqual(patient);
    }
  });

  test('every tumour parses with tumorInputSchema unchanged', () => {
    for (const { t } of allTumors) {
      const parsed = tumorInputSchema.safeParse(t);
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(parsed.data).toEqual(t);
    }
  });

  test('every morphology code exists in MORPHOLOGY', () => {
    for (const { t } of allTumors) expect(Object.keys(MORPHOLOGY)).toContain(t.morphology);
  });

  test('bone topography (C40/C41) goes with bone site categories and soft tissue with the others', () => {
    for (const { t } of allTumors) {
      const bone = /^C4[01]/.test(t.topography);
      expect(t.siteCategory.startsWith('bone_'), `${t.topography} ${t.siteCategory}`).toBe(bone);
    }
  });

  test('sizes are plausible: 0.3–22 cm', () => {
    for (const { t } of allTumors) {
      if (t.sizeCm === undefined) continue;
      expect(t.sizeCm).toBeGreaterThanOrEqual(0.3);
      expect(t.sizeCm).toBeLessThanOrEqual(22);
    }
  });

  test('laterality is left or right only at paired sites: never for spine, bladder or nasopharynx', () => {
    for (const { t } of allTumors) {
      if (['C41.2', 'C67.9', 'C11.9', 'C61.9', 'C52.9'].includes(t.topography) && t.laterality !== undefined) {
        expect(t.laterality).toBe('midline');
      }
      if (t.primarySite.startsWith('left ')) expect(t.laterality).toBe('left');
      if (t.primarySite.startsWith('right ')) expect(t.laterality).toBe('right');
    }
  });

  test('paratesticular and prostate primaries occur only in boys, gynecologic ones only in girls', () => {
    for (const { p, t } of allTumors) {
      if (t.siteCategory === 'gu_paratesticular' || t.topography === 'C61.9') expect(p.patient.sex).toBe('male');
      if (t.siteCategory === 'gu_gynecologic') expect(p.patient.sex).toBe('female');
    }
  });

  test('free-text summaries are one to four short sentences', () => {
    const texts = allTumors.flatMap(({ t }) => [t.pathologySummary, t.imagingSummary]).filter((s): s is string => s !== undefined);
    expect(texts.length).toBeGreaterThan(N * 1.5);
    for (const s of texts) {
      expect(s.length).toBeLessThan(400);
      expect(s).toMatch(/\.$/);
    }
  });
});

describe('case mix', () => {
  test.each(FAMILY_MIX)('%s makes up its share of first tumours within 1.5 points', (family, weight) => {
    const total = FAMILY_MIX.reduce((a, [, w]) => a + w, 0);
    expect(Math.abs(share(program, (p) => familyOf(first(p)) === family) - weight / total)).toBeLessThan(0.015);
  });

  test('the family mix holds even in a 50-patient demo (within 2 patients per family)', () => {
    const small = generateDemoPatients({ seed: 5, count: 50, today: TODAY });
    const total = FAMILY_MIX.reduce((a, [, w]) => a + w, 0);
    for (const [family, weight] of FAMILY_MIX) {
      expect(Math.abs(small.filter((p) => familyOf(first(p)) === family).length - (50 * weight) / total)).toBeLessThanOrEqual(2);
    }
  });

  test('osteosarcoma peaks at 10–19 years and sits mostly in extremity long bones, some in the pelvis', () => {
    const os = program.filter((p) => familyOf(first(p)) === 'osteosarcoma');
    expect(share(os, (p) => { const a = ageYears(p, first(p)); return a >= 10 && a < 20; })).toBeGreaterThan(0.65);
    expect(share(os, (p) => first(p).siteCategory === 'bone_extremity')).toBeGreaterThan(0.8);
    expect(os.some((p) => first(p).siteCategory === 'bone_pelvis')).toBe(true);
    expect(share(os, (p) => ['C40.2', 'C40.0'].includes(first(p).topography))).toBeGreaterThan(0.8);
  });

  test('Ewing sarcoma spans pelvis, extremity, chest wall, spine and extraosseous soft tissue', () => {
    const cats = new Set(program.filter((p) => familyOf(first(p)) === 'ewing').map((p) => first(p).siteCategory));
    for (const c of ['bone_pelvis', 'bone_extremity', 'bone_chest_wall', 'bone_spine', 'soft_tissue_trunk', 'soft_tissue_extremity']) {
      expect(cats).toContain(c);
    }
  });

  test('rhabdomyosarcoma is mostly under 10 years, mostly embryonal, and alveolar is mostly FOXO1 fusion-positive', () => {
    const rms = program.filter((p) => familyOf(first(p)) === 'rhabdomyosarcoma');
    expect(share(rms, (p) => ageYears(p, first(p)) < 10)).toBeGreaterThan(0.55);
    expect(share(rms, (p) => first(p).morphology === '8910/3')).toBeGreaterThan(0.6);
    const alveolar = rms.filter((p) => first(p).morphology === '8920/3' && first(p).details.molecular?.foxo1Fusion !== undefined);
    expect(share(alveolar, (p) => first(p).details.molecular?.foxo1Fusion === 'positive')).toBeGreaterThan(0.7);
    const adolescentExtremity = rms.filter((p) => ageYears(p, first(p)) >= 10 && first(p).siteCategory === 'soft_tissue_extremity');
    expect(share(adolescentExtremity, (p) => first(p).morphology === '8920/3')).toBeGreaterThan(0.4);
  });

  test('rhabdomyosarcoma covers the head and neck, genitourinary, biliary, extremity, trunk and abdominal sites', () => {
    const cats = new Set(program.filter((p) => familyOf(first(p)) === 'rhabdomyosarcoma').map((p) => first(p).siteCategory));
    for (const c of ['hn_orbit', 'hn_parameningeal', 'hn_nonparameningeal', 'gu_paratesticular', 'gu_bladder_prostate',
      'gu_gynecologic', 'biliary', 'soft_tissue_extremity', 'soft_tissue_trunk', 'retroperitoneum_abdomen', 'perineum']) {
      expect(cats).toContain(c);
    }
  });

  test('head and neck rhabdomyosarcomas carry head-and-neck facts; parameningeal ones sometimes extend intracranially', () => {
    const hn = program.map(first).filter((t) => familyOf(t) === 'rhabdomyosarcoma' && t.siteCategory.startsWith('hn_'));
    expect(share(hn, (t) => t.details.headNeck !== undefined)).toBeGreaterThan(0.8);
    expect(hn.some((t) => t.siteCategory === 'hn_parameningeal' && t.details.headNeck?.intracranialExtension)).toBe(true);
  });

  test('NRSTS includes synovial sarcoma in adolescents and infantile fibrosarcoma in infants', () => {
    const ts = program.filter((p) => familyOf(first(p)) === 'nrsts');
    const synovial = ts.filter((p) => first(p).morphology.startsWith('904') && first(p).morphology !== '9044/3');
    const infantile = ts.filter((p) => first(p).morphology === '8814/3');
    expect(synovial.length).toBeGreaterThan(0);
    expect(infantile.length).toBeGreaterThan(0);
    expect(share(synovial, (p) => ageYears(p, first(p)) >= 10)).toBeGreaterThan(0.8);
    for (const p of infantile) expect(ageYears(p, first(p))).toBeLessThan(2);
  });

  test('benign bone tumours carry a radiographic behaviour and include osteochondroma, ABC and giant cell tumour', () => {
    const benign = program.map(first).filter((t) => familyOf(t) === 'benign_bone');
    const codes = new Set(benign.map((t) => t.morphology));
    for (const c of ['9210/0', '9260/0', '9250/1', '9191/0', '8830/0']) expect(codes).toContain(c);
    expect(share(benign, (t) => t.details.bone?.radiographicBehavior !== undefined)).toBeGreaterThan(0.9);
  });

  test('about 20% of malignant tumours are metastatic at diagnosis, lung most often', () => {
    const malignant = program.map(first).filter((t) => familyOf(t) !== 'benign_bone' && t.details.metastases !== undefined);
    const metastatic = malignant.filter((t) => (t.details.metastases?.length ?? 0) > 0);
    expect(Math.abs(metastatic.length / malignant.length - 0.2)).toBeLessThan(0.05);
    const lung = metastatic.filter((t) => t.details.metastases?.includes('lung')).length;
    for (const site of ['bone', 'bone_marrow', 'liver', 'pleura'] as const) {
      expect(lung).toBeGreaterThan(metastatic.filter((t) => t.details.metastases?.includes(site)).length);
    }
  });

  test(`about ${INCOMPLETE_SHARE * 100}% of referrals lack at least one key fact`, () => {
    const incomplete = share(program, (p) => keyFactPaths(first(p)).some((k) => !hasFact(first(p), k)));
    expect(Math.abs(incomplete - INCOMPLETE_SHARE)).toBeLessThan(0.04);
  });

  test('osteosarcoma resections report necrosis, some exactly 90%', () => {
    const resectedOs = program.map(first).filter((t) => familyOf(t) === 'osteosarcoma' && t.details.histologicResponse !== undefined);
    expect(resectedOs.length).toBeGreaterThan(50);
    for (const t of resectedOs) expect(t.details.surgery?.status ?? 'resected').toBe('resected');
    expect(resectedOs.some((t) => t.details.histologicResponse?.necrosisPercent === 90)).toBe(true);
    expect(resectedOs.some((t) => (t.details.histologicResponse?.necrosisPercent ?? 100) < 90)).toBe(true);
  });

  test('most tumours are newly diagnosed and some are relapsed', () => {
    const statuses = allTumors.map(({ t }) => t.details.diseaseStatus);
    expect(share(statuses, (s) => s === 'newly_diagnosed')).toBeGreaterThan(0.85);
    expect(statuses).toContain('relapsed');
  });
});

describe('ages and dates', () => {
  test('every age at diagnosis is between 0 and 25 years', () => {
    for (const { p, t } of allTumors) {
      const age = ageYears(p, t);
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThanOrEqual(25);
    }
  });

  test('ages spread from infancy to young adulthood', () => {
    const ages = program.map((p) => ageYears(p, first(p)));
    expect(ages.some((a) => a < 1)).toBe(true);
    expect(ages.some((a) => a >= 20)).toBe(true);
  });

  test('every diagnosis falls within the three years before today', () => {
    for (const { t } of allTumors) {
      const days = TODAY_DAY - dayFromIsoDate(t.diagnosisDate);
      expect(days).toBeGreaterThan(0);
      expect(days).toBeLessThanOrEqual(3 * 365);
    }
  });

  test('performance uses Lansky under 16 years and Karnofsky from 16', () => {
    for (const { p, t } of allTumors) {
      const perf = t.details.performance;
      if (perf === undefined) continue;
      expect(perf.scale).toBe(ageYears(p, t) < 16 ? 'lansky' : 'karnofsky');
      expect(perf.value % 10).toBe(0);
    }
  });

  test('pubertal status fits age: no prepubertal child past 15, no postpubertal child under 10', () => {
    for (const { p, t } of allTumors) {
      const age = ageYears(p, t);
      if (t.details.pubertalStatus === 'prepubertal') expect(age).toBeLessThan(15);
      if (t.details.pubertalStatus === 'postpubertal') expect(age).toBeGreaterThanOrEqual(10);
    }
  });
});

describe('cases and timelines', () => {
  test('each patient has one case for the first tumour; a relapse adds a second tumour with its own case', () => {
    for (const p of program) {
      expect(p.cases.map((c) => c.tumorIndex)).toEqual(p.tumors.map((_, i) => i));
      expect(p.tumors.length).toBeLessThanOrEqual(2);
      if (p.tumors.length === 2) {
        expect(p.tumors[1]?.details.diseaseStatus).toBe('relapsed');
        expect(p.cases[0]?.status).toBe('follow_up');
        expect(p.tumors[1]?.morphology).toBe(first(p).morphology);
      }
    }
    expect(program.filter((p) => p.tumors.length === 2).length).toBeGreaterThan(0);
  });

  test.each(STATUS_MIX)('%s is the status of its share of first cases within 1.5 points', (status, weight) => {
    const total = STATUS_MIX.reduce((a, [, w]) => a + w, 0);
    expect(Math.abs(share(program, (p) => p.cases[0]?.status === status) - weight / total)).toBeLessThan(0.015);
  });

  test('status is independent of tumour family: every family has cases at every status', () => {
    for (const [family] of FAMILY_MIX) {
      const statuses = new Set(program.filter((p) => familyOf(first(p)) === family).map((p) => p.cases[0]?.status));
      expect(statuses.size).toBe(CASE_STATUSES.length);
    }
  });

  test('timelines walk forward one allowed step at a time from referred to the case status', () => {
    for (const { c } of allCases) {
      const statuses = c.timeline.map((e) => e.status);
      expect(statuses).toEqual(CASE_STATUSES.slice(0, CASE_STATUSES.indexOf(c.status) + 1));
      for (let i = 1; i < statuses.length; i++) {
        expect(CASE_TRANSITIONS[statuses[i - 1] as (typeof CASE_STATUSES)[number]]).toContain(statuses[i]);
      }
    }
  });

  test('timestamps are UTC ISO-8601, strictly increasing, on or after diagnosis and before today', () => {
    const problems: string[] = [];
    for (const { p, c } of allCases) {
      const diagnosis = (p.tumors[c.tumorIndex] as TumorInput).diagnosisDate;
      let previous = '';
      for (const e of c.timeline) {
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/.test(e.at) || new Date(e.at).toISOString() !== e.at) problems.push(`${p.patient.mrn} bad instant ${e.at}`);
        if (e.at <= previous) problems.push(`${p.patient.mrn} not increasing at ${e.at}`);
        previous = e.at;
      }
      if ((c.timeline[0]?.at ?? '') < `${diagnosis}T00:00:00.000Z`) problems.push(`${p.patient.mrn} referred before diagnosis`);
      if (previous >= `${TODAY}T00:00:00.000Z`) problems.push(`${p.patient.mrn} event on or after today`);
    }
    expect(problems).toEqual([]);
  });

  test('a relapse is diagnosed after the first case reached follow-up', () => {
    for (const p of program.filter((x) => x.tumors.length === 2)) {
      const followUp = p.cases[0]?.timeline.at(-1)?.at ?? '';
      expect(`${p.tumors[1]?.diagnosisDate}T23:59:59.999Z` > followUp).toBe(true);
      expect(p.tumors[1]?.diagnosisDate.localeCompare(followUp.slice(0, 10))).toBe(1);
    }
  });

  test('cases further along the pathway have older diagnoses', () => {
    const meanDays = (status: string) => {
      const ds = program.filter((p) => p.cases[0]?.status === status).map((p) => TODAY_DAY - dayFromIsoDate(first(p).diagnosisDate));
      return ds.reduce((a, b) => a + b, 0) / ds.length;
    };
    const means = CASE_STATUSES.map(meanDays);
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThan(means[i - 1] as number);
  });

  test('about 10% of cases are urgent and every case asks the conference a question', () => {
    expect(Math.abs(share(allCases, ({ c }) => c.urgent) - 0.1)).toBeLessThan(0.04);
    for (const { c } of allCases) expect(c.question).toMatch(/\S.*[?.]$/);
    expect(new Set(allCases.map(({ c }) => c.question)).size).toBeGreaterThan(30);
  });
});

describe('people', () => {
  test(`about ${(1 - INTERNATIONAL_SHARE) * 100}% of families live in the United States`, () => {
    expect(Math.abs(share(program, (p) => p.patient.homeCountry === 'United States') - (1 - INTERNATIONAL_SHARE))).toBeLessThan(0.04);
  });

  test('international families mostly need an interpreter, domestic English speakers never do', () => {
    const intl = program.filter((p) => p.patient.homeCountry !== 'United States' && p.patient.preferredLanguage !== 'English');
    expect(share(intl, (p) => p.patient.interpreterNeeded)).toBeGreaterThan(0.75);
    for (const p of program) if (p.patient.preferredLanguage === 'English') expect(p.patient.interpreterNeeded).toBe(false);
    expect(program.some((p) => p.patient.homeCountry === 'United States' && p.patient.preferredLanguage === 'Spanish')).toBe(true);
  });

  test('at least 8 preferred languages are present', () => {
    const languages = new Set(program.map((p) => p.patient.preferredLanguage));
    expect(languages.size).toBeGreaterThanOrEqual(8);
    for (const l of ['English', 'Spanish', 'Arabic', 'Mandarin', 'Portuguese', 'Vietnamese', 'Russian', 'Hindi']) expect(languages).toContain(l);
  });

  test('names appear in Arabic, Chinese, Cyrillic and Devanagari script, and with combining marks', () => {
    expect(names.some((n) => /\p{Script=Arabic}/u.test(n))).toBe(true);
    expect(names.some((n) => /\p{Script=Han}/u.test(n))).toBe(true);
    expect(names.some((n) => /\p{Script=Cyrillic}/u.test(n))).toBe(true);
    expect(names.some((n) => /\p{Script=Devanagari}/u.test(n))).toBe(true);
    expect(names.some((n) => /\p{Script=Latin}/u.test(n) && /\p{M}/u.test(n))).toBe(true); // Yoruba tone marks
    expect(names.some((n) => /[áéíóúãçñễđ]/iu.test(n))).toBe(true);
  });

  test('names are trimmed and NFC-normalized, and no name mixes scripts', () => {
    for (const n of names) {
      expect(n).toBe(n.trim().normalize('NFC'));
      const scripts = ['Latin', 'Arabic', 'Han', 'Cyrillic', 'Devanagari'].filter((s) => new RegExp(`\\p{Script=${s}}`, 'u').test(n));
      expect(scripts.length).toBe(1);
    }
  });

  test('every patient has one or two guardians with a relationship; phones match the home country', () => {
    for (const { patient } of program) {
      expect(patient.guardians.length).toBeGreaterThanOrEqual(1);
      expect(patient.guardians.length).toBeLessThanOrEqual(2);
      for (const g of patient.guardians) {
        if (g.phone === undefined) continue;
        if (patient.homeCountry === 'United States') expect(g.phone).toMatch(/^\+1 \d{3}-555-01\d{2}$/);
        if (patient.homeCountry === 'Saudi Arabia') expect(g.phone).toMatch(/^\+966 5/);
        if (g.email !== undefined) expect(g.email).toMatch(/@example\.(com|org|net)$/);
      }
    }
  });

  test('Russian family names take the feminine ending for girls and mothers', () => {
    const ru = program.filter((p) => p.patient.preferredLanguage === 'Russian' || /\p{Script=Cyrillic}/u.test(p.patient.familyName));
    expect(ru.length).toBeGreaterThan(0);
    for (const p of ru.filter((x) => x.patient.sex === 'female')) expect(p.patient.familyName).toMatch(/[aа]$/u);
  });
});

describe('performance', () => {
  test('generating 10,000 patients takes well under 2 seconds', () => {
    generateDemoPatients({ seed: 1, count: 500, today: TODAY }); // warm up the JIT
    const t0 = performance.now();
    const ps = generateDemoPatients({ seed: 42, count: 10_000, today: TODAY });
    const ms = performance.now() - t0;
    expect(ps).toHaveLength(10_000);
    expect(ms).toBeLessThan(2_000);
  });
});
