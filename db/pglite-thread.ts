// The embedded database's own thread (issue 14): PGlite (PostgreSQL compiled to WebAssembly) runs every
// statement synchronously on the thread that owns it, so on the main thread it took ≈ 40 % of the event
// loop that also answers requests and runs the activities. Here it owns a worker thread; the main thread
// talks to it with postgres.js over the PostgreSQL wire protocol (db/pglite-socket.ts gives postgres.js a
// socket whose bytes travel over a MessagePort), the same driver and the same drizzle flavour as a real
// PostgreSQL server.
//
// Messages on `parentPort`: {type:'connect', port} opens a connection (its bytes on `port`); {type:'close'}
// closes the database and ends the thread. Answers: {type:'ready'} once the database is open, {type:'error',
// message} if it cannot be opened, {type:'closed'}.
//
// PGlite is one PostgreSQL session. Each wire message of a connection runs alone (execProtocolRawStream);
// while a connection is inside a message sequence (until its Sync) or holds a transaction open, other
// connections' messages wait. The server opens one connection (db/client.ts); a second one appears only
// while postgres.js replaces it.
// Runs as plain Node (type stripping): erasable TypeScript only, no imports of our own code.

import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const TERMINATE = 0x58; // 'X'
const PARSE = 0x50; // 'P'
const SIMPLE_QUERY = 0x51; // 'Q'
const SYNC_TYPE = 0x53; // 'S'
const STARTUP = 0x00; // an untyped message: its length's first byte

type Pending = { conn: Connection; message: Uint8Array };
type Connection = {
  id: number;
  port: MessagePort;
  buffer: Buffer;
  started: boolean;
  open: boolean;
  /** Its named prepared statements: the session outlives the connection, so they are dropped with it. */
  statements: Set<string>;
};

const port = parentPort;
if (!port) throw new Error('db/pglite-thread.ts runs as a worker thread');

let pg: PGlite;
try {
  pg = await PGlite.create(workerData.dataDir as string, { extensions: { unaccent, pg_trgm } });
  port.postMessage({ type: 'ready' });
} catch (err) {
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}

const queue: Pending[] = [];
let running = false;
/** The connection whose transaction is open (its messages go first; others wait). */
let owner: Connection | null = null;
let nextId = 1;

port.on('message', async (msg: { type: string; port?: MessagePort }) => {
  if (msg.type === 'connect' && msg.port) {
    const conn: Connection = {
      id: nextId++,
      statements: new Set(),
      port: msg.port,
      buffer: Buffer.alloc(0),
      started: false,
      open: true,
    };
    msg.port.on('message', (data: Uint8Array) => receive(conn, data));
    msg.port.on('close', () => disconnect(conn));
  } else if (msg.type === 'close') {
    while (running || queue.length) await new Promise((r) => setTimeout(r, 5)); // the cleanups of closed connections
    await pg.close();
    port.postMessage({ type: 'closed' });
    process.exit(0);
  }
});

/** Splits a connection's bytes into whole wire messages and queues them. */
function receive(conn: Connection, data: Uint8Array): void {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, bytes]) : bytes;
  for (;;) {
    const b = conn.buffer;
    let length: number;
    if (!conn.started) {
      // untyped: SSLRequest, CancelRequest or StartupMessage (int32 length, int32 code)
      if (b.length < 8) return;
      length = b.readInt32BE(0);
      if (b.length < length) return;
      const code = b.readInt32BE(4);
      conn.buffer = b.subarray(length);
      if (code === SSL_REQUEST) {
        send(conn, Uint8Array.of(0x4e)); // 'N': no TLS between threads
        continue;
      }
      if (code === CANCEL_REQUEST) continue; // nothing to cancel: statements run to the end
      if (code === PROTOCOL_3) conn.started = true;
      enqueue(conn, b.subarray(0, length));
      continue;
    }
    if (b.length < 5) return;
    length = 1 + b.readInt32BE(1);
    if (b.length < length) return;
    const message = b.subarray(0, length);
    conn.buffer = b.subarray(length);
    if (message[0] === TERMINATE) {
      disconnect(conn);
      return;
    }
    if (message[0] === PARSE) {
      const name = message.toString('utf8', 5, message.indexOf(0, 5));
      if (name) conn.statements.add(name);
    }
    enqueue(conn, message);
  }
}

function enqueue(conn: Connection, message: Uint8Array): void {
  queue.push({ conn, message: new Uint8Array(message) });
  if (!running) void drain();
}

async function drain(): Promise<void> {
  running = true;
  try {
    for (;;) {
      const i = owner ? queue.findIndex((p) => p.conn === owner) : 0;
      if (i < 0 || !queue.length) break; // the transaction's connection has nothing queued yet
      const [{ conn, message }] = queue.splice(i, 1) as [Pending];
      const out: Uint8Array[] = [];
      try {
        await pg.execProtocolRawStream(message, { onRawData: (bytes) => out.push(bytes.slice()) });
      } catch (err) {
        console.error('embedded database: a wire message failed', err);
      }
      // The session stays this connection's until its message sequence ends (Sync, or a simple query) and
      // while its transaction is open: another connection's Bind would replace this one's unnamed portal.
      const type = message[0];
      const sequenceOpen = type !== SYNC_TYPE && type !== SIMPLE_QUERY && type !== STARTUP;
      owner = sequenceOpen || pg.isInTransaction() ? conn : null;
      if (!conn.open) continue;
      if (out.length) send(conn, out.length === 1 ? out[0]! : concat(out));
    }
  } finally {
    running = false;
  }
}

/** Hands `bytes` (its own buffer) to the connection's side. */
function send(conn: Connection, bytes: Uint8Array): void {
  conn.port.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** A closed connection: its queued messages are dropped and a transaction it left open is rolled back. */
function disconnect(conn: Connection): void {
  if (!conn.open) return;
  conn.open = false;
  conn.port.close();
  for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.conn === conn) queue.splice(i, 1);
  // its output goes nowhere: a transaction it left open is rolled back, its prepared statements dropped
  // (after a Sync: a message sequence it left in error would make the session skip them)
  const cleanup: Uint8Array[] = [SYNC];
  if (owner === conn) cleanup.push(simpleQuery('ROLLBACK'));
  for (const name of conn.statements) cleanup.push(simpleQuery(`DEALLOCATE "${name.replace(/"/g, '""')}"`));
  queue.unshift(...cleanup.map((message) => ({ conn, message })));
  if (!running && queue.length) void drain();
}

/** A Sync message (`S`): ends an extended-protocol sequence, and the error state it may be in. */
const SYNC = Uint8Array.of(0x53, 0, 0, 0, 4);

/** A simple-query message (`Q`) of `sql`. */
function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`);
  const m = Buffer.alloc(5 + text.length);
  m[0] = SIMPLE_QUERY;
  m.writeInt32BE(4 + text.length, 1);
  text.copy(m, 5);
  return new Uint8Array(m);
}
