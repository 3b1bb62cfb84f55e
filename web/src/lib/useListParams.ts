import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The state of a searchable, paged list kept in the URL (so it survives reload and back): the committed query `q`,
 * the `offset`, the text being typed (`search`, committed to the URL 300 ms after typing stops, resetting paging),
 * and `update` to change any other parameter.
 */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const [search, setSearch] = useState(q);
  const [debounced] = useDebouncedValue(search, 300);

  const update = (patch: Record<string, string | null>) => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      return next;
    }, { replace: true });
  };

  useEffect(() => {
    if (debounced.trim() !== q) update({ q: debounced.trim(), offset: null });
    // Only the debounced text drives the URL; `q` changing from navigation must not loop back.
  }, [debounced]);

  return { params, q, offset, search, setSearch, update };
}
