import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { conferenceKey, eventsUrl } from './api.js';

/** What the server says happened; the UI only uses it as a cue to refetch. */
export interface ConferenceEvent {
  type: string;
  conferenceId: string;
  version: number;
  at: string;
}

/** 'closed': the browser gave up (the server refused the stream); the page falls back to polling. */
export type Connection = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * The server names each event (`event: <type>`) and EventSource only passes named events to listeners for that
 * name: these are the conference routes' types, 'resync' (the server may have missed some) and unnamed messages.
 * 'hello' (sent on connect) is not here: the page has just loaded the conference.
 */
const NAMED = ['message', 'moved', 'cancelled', 'agenda', 'input', 'attendance', 'started', 'current', 'recommendation', 'finished', 'resync'];

/**
 * Follows GET /conferences/:id/events. Every event (and every reconnection, which may have missed some) refetches the
 * conference and whatever else `alsoRefetch` names (the current case's assessment on the live page).
 */
export function useConferenceEvents(id: string | undefined, alsoRefetch: readonly (readonly unknown[])[] = []): { connection: Connection; last: ConferenceEvent | null } {
  const qc = useQueryClient();
  const [connection, setConnection] = useState<Connection>('connecting');
  const [last, setLast] = useState<ConferenceEvent | null>(null);
  const extra = useRef(alsoRefetch);
  extra.current = alsoRefetch;

  useEffect(() => {
    if (!id || typeof EventSource === 'undefined') return undefined;
    const source = new EventSource(eventsUrl(id), { withCredentials: true });
    let opened = false;
    const refetch = () => {
      void qc.invalidateQueries({ queryKey: conferenceKey(id) });
      void qc.invalidateQueries({ queryKey: ['conferences'] });
      for (const key of extra.current) void qc.invalidateQueries({ queryKey: key });
    };
    const onEvent = (e: MessageEvent) => {
      try {
        const data = JSON.parse(String(e.data)) as Partial<ConferenceEvent>;
        if (data && typeof data === 'object' && (!data.conferenceId || data.conferenceId === id)) {
          setLast({ type: String(data.type ?? e.type), conferenceId: id, version: Number(data.version ?? 0), at: String(data.at ?? new Date().toISOString()) });
        }
      } catch {
        // a keep-alive or a payload we do not understand: still a cue to refetch
      }
      refetch();
    };
    const onOpen = () => {
      // A reconnection may have missed events: catch up once.
      if (opened) refetch();
      opened = true;
      setConnection('open');
    };
    const onError = () => setConnection(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    source.addEventListener('open', onOpen);
    source.addEventListener('error', onError);
    for (const name of NAMED) source.addEventListener(name, onEvent as EventListener);
    return () => {
      source.removeEventListener('open', onOpen);
      source.removeEventListener('error', onError);
      for (const name of NAMED) source.removeEventListener(name, onEvent as EventListener);
      source.close();
    };
  }, [id, qc]);

  return { connection, last };
}

/** Calls `fn` every 15 s while `on` (the fallback when the event stream is down). */
export function usePolling(on: boolean, fn: () => void): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (!on) return undefined;
    const t = window.setInterval(() => latest.current(), 15_000);
    return () => window.clearInterval(t);
  }, [on]);
}
