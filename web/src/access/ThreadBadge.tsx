import { Badge, Text } from '@mantine/core';
import type { ThreadState } from '../../../src/services/access-grants.service.js';
import { formatDateTime } from '../lib/format.js';

/**
 * Where a second-opinion thread stands, in the words of the side looking at it: the owner institution (which asked)
 * or the reviewers (who were asked). The counts and the last message under the badge.
 */
export function ThreadBadge({ side, thread }: { side: 'owner' | 'reviewer'; thread: ThreadState }) {
  const { last } = thread;
  const [label, color] = !last
    ? [side === 'owner' ? 'Awaiting opinion' : 'Opinion not given yet', 'gray']
    : last.from === 'reviewer'
      ? [side === 'owner' ? 'Opinion received' : 'Opinion sent', 'blue']
      : [side === 'owner' ? 'Replied' : 'Reply received', 'teal'];
  const ours = side === 'owner' ? thread.messages - thread.opinions : thread.opinions;
  const theirs = side === 'owner' ? thread.opinions : thread.messages - thread.opinions;
  return (
    <>
      <Badge color={color} c={`${color}.9`} variant="light">{label}</Badge>
      <Text size="xs" c="gray.7" mt={4}>
        {thread.messages === 0 ? 'No messages yet' : `${theirs} from ${side === 'owner' ? 'the reviewers' : 'the owner'}, ${ours} from us`}
        {last ? <><br />Last: {last.author}, {formatDateTime(last.at)}</> : null}
      </Text>
    </>
  );
}
