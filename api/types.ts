// Hono environment shared by all sub-apps: the injected deps and per-request values.
import type { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Database } from '../db/client.ts';
import type { CaseEvents } from '../db/queries/case-events.ts';
import type { Auth } from './auth/auth.ts';
import type { StaffUser } from './auth/session.ts';

export type AppDeps = {
  db: Database;
  temporal: {
    client: Client;
    connection: Connection;
    taskQueue: string;
    namespace: string;
    /** The payload codec the client uses (config/payload-codec.ts); /codec serves it to the Temporal UI. */
    codec: PayloadCodec;
    /** Temporal Web UI origins allowed to call /codec with credentials (CORS). */
    uiOrigins: string[];
  };
  auth: Auth;
  /** Secret for signed cookies (citizen follow-up). */
  secret: string;
  publicUrl: string;
  timezone: string;
  production: boolean;
  /** Projected case changes for live pages (SSE); absent = pages do not update by themselves. */
  caseEvents?: CaseEvents;
  /** "A vencer" queue: due within this many business days (default 3; env DUE_SOON_BUSINESS_DAYS). */
  dueSoonBusinessDays?: number;
  /** Longest an HTTP request waits on a workflow (UPDATE_WAIT_MS); default 10 000 ms. */
  updateWaitMs?: number;
  /** Disables rate limits (tests only). */
  rateLimit?: { windowMs: number; limit: number };
};

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    user: StaffUser | undefined;
    requestId: string;
    secureHeadersNonce?: string;
  };
};
