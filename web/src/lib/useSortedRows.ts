import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { compareBy, type SortOrder } from '../components/SortableTh.js';

/**
 * A whole list sorted in the browser by a column kept in the URL (`?sort=&order=`), for lists the API returns in
 * full. Unknown sort keys fall back to the default.
 */
export function useSortedRows<T, K extends string>(rows: readonly T[] | undefined, sorts: Record<K, (r: T) => string | null>, defaultKey: NoInfer<K>, defaultOrder: SortOrder) {
  const [params, setParams] = useSearchParams();
  const sortParam = params.get('sort') as K | null;
  const sort: K = sortParam && sortParam in sorts ? sortParam : defaultKey;
  const raw = params.get('order');
  const order: SortOrder = raw === 'asc' || raw === 'desc' ? raw : defaultOrder;
  const items = useMemo(() => [...(rows ?? [])].sort(compareBy(sorts[sort], order)), [rows, sorts, sort, order]);
  const onSort = (s: K, o: SortOrder) => setParams({ sort: s, order: o }, { replace: true });
  return { items, sort, order, onSort };
}
