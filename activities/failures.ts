// Which side-effect errors can never succeed by retrying (issue 8.2). A PostgreSQL error of SQLSTATE class
// 22 (data exception: invalid byte sequence, value too long…), 23 (integrity constraint), 42 (syntax or
// access rule: undefined column after a bad deploy) or P0 (a trigger's RAISE) fails the same way on every
// attempt, so it becomes a non-retryable ApplicationFailure: the workflow records it and stays responsive
// (workflows/case-failures.ts) instead of retrying forever. Everything else (connection refused, deadlock,
// serialization, disk full…) stays retryable. Only the SQLSTATE and PostgreSQL's own message travel: never
// the query or its parameters, which hold personal data.
import { ApplicationFailure } from '@temporalio/activity';

/** SQLSTATE classes that retrying cannot fix. */
const permanentClasses = ['22', '23', '42', 'P0'];

/** The SQLSTATE (and message) of a database error, looking through wrappers (drizzle's DrizzleQueryError). */
export function sqlStateOf(err: unknown): { code: string; message: string } | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
      return { code, message: String((e as { message?: unknown }).message ?? '') };
  }
  return undefined;
}

/** A non-retryable failure for a permanent database error; undefined when retrying may help. */
export function permanentFailure(err: unknown): ApplicationFailure | undefined {
  if (err instanceof ApplicationFailure) return undefined; // already classified by the activity
  const state = sqlStateOf(err);
  if (!state || !permanentClasses.includes(state.code.slice(0, 2))) return undefined;
  return ApplicationFailure.nonRetryable(
    `database refused the data (SQLSTATE ${state.code}): ${state.message.slice(0, 300)}`,
    'PermanentDataError',
    { sqlstate: state.code },
  );
}

/** Wraps every activity of `activities` so permanent database errors fail once, non-retryable. */
export function withPermanentFailures<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: never[]) => {
        try {
          return await fn(...args);
        } catch (err) {
          throw permanentFailure(err) ?? err;
        }
      },
    ]),
  ) as T;
}
