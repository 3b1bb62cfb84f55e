import { Table, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';

export type SortOrder = 'asc' | 'desc';

interface Props<K extends string> {
  column: K;
  sort: K;
  order: SortOrder;
  onSort: (column: K, order: SortOrder) => void;
  children: ReactNode;
}

function Arrow({ dir }: { dir: SortOrder | null }) {
  return (
    <svg width="10" height="12" viewBox="0 0 10 12" aria-hidden="true" focusable="false" style={{ marginLeft: 6, flex: 'none' }}>
      <path d="M5 1 L9 5 H1 Z" fill="currentColor" opacity={dir === 'asc' ? 1 : 0.25} />
      <path d="M5 11 L9 7 H1 Z" fill="currentColor" opacity={dir === 'desc' ? 1 : 0.25} />
    </svg>
  );
}

/** A column header that sorts on click/Enter; the current sort is exposed through aria-sort. */
export function SortableTh<K extends string>({ column, sort, order, onSort, children }: Props<K>) {
  const active = column === sort;
  const next: SortOrder = active && order === 'asc' ? 'desc' : 'asc';
  return (
    <Table.Th aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton
        onClick={() => onSort(column, next)}
        style={{ display: 'inline-flex', alignItems: 'center', fontWeight: 600, fontSize: 'inherit' }}
      >
        {children}
        <Arrow dir={active ? order : null} />
      </UnstyledButton>
    </Table.Th>
  );
}

/** Client-side comparison for tables whose API offers no sort parameter. */
export function compareBy<T>(get: (row: T) => string | number | boolean | null | undefined, order: SortOrder) {
  const sign = order === 'asc' ? 1 : -1;
  return (a: T, b: T): number => {
    const x = get(a);
    const y = get(b);
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
    return String(x).localeCompare(String(y), undefined, { numeric: true, sensitivity: 'base' }) * sign;
  };
}
