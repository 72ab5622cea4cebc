// Live updates: the projection NOTIFYs `case_changed` with the protocol and revision on commit
// (`OUV-2026-000123 7`); each server process LISTENs once (postgres.js or PGlite) and fans them out to its
// open SSE streams and to its recent views (recent-views.ts). PostgreSQL delivers NOTIFY across processes,
// so a separate worker process feeds the server's pages.
import type { DatabaseHandle } from '../client.ts';

export const caseChangedChannel = 'case_changed';

/** Called with the protocol of a projected change and the revision it wrote (undefined: not said). */
export type CaseChanged = (protocol: string, revision: number | undefined) => void;

export type CaseEvents = {
  /** Calls `onChange(protocol, revision)` for every projected change until the returned function is called. */
  subscribe: (onChange: CaseChanged) => () => void;
  close: () => Promise<void>;
};

/** The notice's payload: `protocol revision` (a protocol alone is read as a change of unknown revision). */
export function caseChangedPayload(payload: string): { protocol: string; revision: number | undefined } {
  const [protocol = '', revision] = payload.split(' ');
  const n = revision === undefined ? Number.NaN : Number(revision);
  return { protocol, revision: Number.isInteger(n) ? n : undefined };
}

export function caseEventHub(handle: Pick<DatabaseHandle, 'listen'>): CaseEvents {
  const subscribers = new Set<CaseChanged>();
  let stop: Promise<() => Promise<void>> | undefined;
  const deliver = (payload: string) => {
    const { protocol, revision } = caseChangedPayload(payload);
    for (const fn of subscribers) fn(protocol, revision);
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
