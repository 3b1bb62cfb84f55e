import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** The rows a list table shows while loading (announced) or when it has nothing to show. */
export function TableStatusRows({ colSpan, pending, empty, loading, emptyText }: {
  colSpan: number; pending: boolean; empty: boolean; loading: string; emptyText: ReactNode;
}) {
  if (pending) return <Table.Tr><Table.Td colSpan={colSpan}><Text c="dimmed" size="sm" role="status">{loading}</Text></Table.Td></Table.Tr>;
  if (empty) return <Table.Tr><Table.Td colSpan={colSpan}><Text c="dimmed" size="sm" ta="center" py="md">{emptyText}</Text></Table.Td></Table.Tr>;
  return null;
}
