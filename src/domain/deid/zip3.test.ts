import { expect, test } from 'vitest';
import { RESTRICTED_ZIP3, parseZip, safeHarborZip3 } from './zip3.js';

test('the restricted three-digit ZIP list is the seventeen areas of the HHS guidance', () => {
  expect(RESTRICTED_ZIP3).toHaveLength(17);
  expect(new Set(RESTRICTED_ZIP3).size).toBe(17);
});

test.each([
  ['21205', '212'], ['21205-1234', '212'], ['212051234', '212'], [' 10001 ', '100'],
  ['03601', '000'], ['05901', '000'], ['89301', '000'], ['82301', '000'], ['10201', '000'],
])('the Safe Harbor ZIP of %s is %s', (zip, out) => {
  expect(safeHarborZip3(zip)).toBe(out);
});

test.each([[null], [''], ['2120'], ['SW1A 1AA'], ['21205a'], ['M5V 3L9']])('%s is not a U.S. ZIP code and is dropped, never passed through', (text) => {
  expect(parseZip(text)).toBeNull();
  expect(safeHarborZip3(text)).toBeNull();
});
