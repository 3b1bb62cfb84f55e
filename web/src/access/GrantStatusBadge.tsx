import { Badge } from '@mantine/core';
import type { GrantStatus } from './api.js';

const STATUS_COLOR: Record<GrantStatus, string> = { active: 'green', expired: 'gray', revoked: 'orange' };

/** A share's or grant's status as a badge: active, expired or revoked. */
export function GrantStatusBadge({ status }: { status: GrantStatus }) {
  return <Badge color={STATUS_COLOR[status]} c={`${STATUS_COLOR[status]}.9`} variant="light">{status}</Badge>;
}
