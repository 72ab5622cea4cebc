// Column helpers shared by every schema file (db/schema.ts and the area files in db/schema/).
import { customType, timestamp } from 'drizzle-orm/pg-core';

/** PostgreSQL `tsvector` (generated search columns). */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
/** `timestamp with time zone`, read as a JS Date. */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** `bytea`, read as a Buffer on both drivers (postgres.js and PGlite). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});
