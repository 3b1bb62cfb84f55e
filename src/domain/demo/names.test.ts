import { describe, expect, test } from 'vitest';
import { type Household, drawFamily, drawHousehold, stripDiacritics } from './names.js';
import { createRng } from './prng.js';

const household = (over: Partial<Household>): Household => ({
  homeCountry: 'United States', culture: 'en_us', preferredLanguage: 'English', interpreterNeeded: false, script: 'latin',
  phone: () => '+1 617-555-0100', international: false, ...over,
});

describe('stripDiacritics', () => {
  test.each([
    ['Núñez', 'Nunez'], ['Gonçalves', 'Goncalves'], ['Nguyễn Đức Anh', 'Nguyen Duc Anh'], ['Adébáyọ̀', 'Adebayo'], ['Héloïse', 'Heloise'],
  ])('%s becomes %s', (input, plain) => {
    expect(stripDiacritics(input)).toBe(plain);
  });
});

describe('drawFamily', () => {
  test('Spanish-speaking families often give the child both surnames, paternal first', () => {
    const rng = createRng(1);
    const compound = Array.from({ length: 200 }, () => drawFamily(rng, household({ culture: 'es_latam' }), 'female'))
      .filter((f) => f.patient.familyName.includes(' ') && f.guardians.some((g) => g.relationship === 'father'));
    expect(compound.length).toBeGreaterThan(50);
    for (const f of compound) {
      const father = f.guardians.find((g) => g.relationship === 'father');
      const paternal = f.patient.familyName.split(' ')[0] as string;
      expect(father?.name).toContain(` ${paternal} `);
    }
  });

  test('Chinese names in characters put the family name first without a space', () => {
    const rng = createRng(2);
    for (let i = 0; i < 50; i++) {
      const f = drawFamily(rng, household({ culture: 'zh', script: 'native', homeCountry: 'China', international: true }), 'male');
      expect(f.patient.familyName).toMatch(/^\p{Script=Han}+$/u);
      for (const g of f.guardians) expect(g.name).toMatch(/^\p{Script=Han}+$/u);
    }
  });

  test('Cyrillic names stay Cyrillic and girls carry the feminine family name', () => {
    const rng = createRng(3);
    for (let i = 0; i < 50; i++) {
      const f = drawFamily(rng, household({ culture: 'ru', script: 'native', homeCountry: 'Russia', international: true }), 'female');
      expect(f.patient.familyName).toMatch(/^\p{Script=Cyrillic}+а$/u);
      expect(f.patient.givenName).toMatch(/^\p{Script=Cyrillic}+$/u);
    }
  });

  test('plain script drops tone marks from Yoruba names', () => {
    const rng = createRng(4);
    for (let i = 0; i < 50; i++) {
      const f = drawFamily(rng, household({ culture: 'yo', script: 'plain' }), 'male');
      expect(`${f.patient.givenName} ${f.patient.familyName}`).toMatch(/^[A-Za-z ]+$/);
    }
  });

  test('guardian emails use the reserved example domains with an ASCII local part', () => {
    const rng = createRng(5);
    const emails = Array.from({ length: 300 }, () => drawFamily(rng, household({ culture: 'ar', script: 'native' }), 'male'))
      .flatMap((f) => f.guardians.map((g) => g.email)).filter((e): e is string => e !== undefined);
    expect(emails.length).toBeGreaterThan(50);
    for (const e of emails) expect(e).toMatch(/^[a-z]+\.[a-z]+\d{1,2}@example\.(com|org|net)$/);
  });
});

describe('drawHousehold', () => {
  test('about 30% of households are abroad, each with a matching phone prefix', () => {
    const rng = createRng(6);
    const hs = Array.from({ length: 5_000 }, () => drawHousehold(rng));
    const abroad = hs.filter((h) => h.international);
    expect(abroad.length / hs.length).toBeCloseTo(0.3, 1);
    const prefixes: Record<string, string> = { 'Saudi Arabia': '+966 ', Mexico: '+52 ', Brazil: '+55 ', China: '+86 ', Russia: '+7 ', Nigeria: '+234 ', Vietnam: '+84 ' };
    for (const h of abroad) {
      const prefix = prefixes[h.homeCountry];
      if (prefix !== undefined) expect(h.phone(rng).startsWith(prefix)).toBe(true);
    }
  });
});
