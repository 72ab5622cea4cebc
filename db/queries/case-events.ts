// Live updates: the projection NOTIFYs `case_changed` with the protocol on commit; each server process
// LISTENs once (postgres.js or PGlite) and fans the protocol out to its open SSE streams.
// PostgreSQL delivers NOTIFY across processes, so a separate worker process feeds the server's pages.
import type { DatabaseHandle } from '../client.ts';

export const caseChangedChannel = 'case_changed';

export type CaseEvents = {
  /** Calls `onChange(protocol)` for every projected change until the returned function is called. */
  subscribe: (onChange: (protocol: string) => void) => () => void;
  close: () => Promise<void>;
};

export function caseEventHub(handle: Pick<DatabaseHandle, 'listen'>): CaseEvents {
  const subscribers = new Set<(protocol: string) => void>();
  let stop: Promise<() => Promise<void>> | undefined;
  const deliver = (protocol: string) => {
    for (const fn of subscribers) fn(protocol);
  };
  return {
    subscribe(onChange) {
      stop ??= handle.listen(caseChangedChannel, deliver);
      subscribers.add(onChange);
      return () => subscribers.delete(onChange);
    },
    async close() {
      subscribers.clear();
      if (stop) await (await stop)();
    },
  };
}
