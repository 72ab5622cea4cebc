// The main thread's side of the embedded database (db/pglite-thread.ts): starts the thread that owns PGlite
// and hands postgres.js sockets (its `socket` option) whose bytes travel over a MessagePort to it. postgres.js
// speaks the PostgreSQL wire protocol over them exactly as it does to a server.
import { Duplex } from 'node:stream';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';

export type EmbeddedDatabase = {
  /** A connected socket for postgres.js's `socket` option (each call: a new connection). */
  socket: () => Duplex;
  /** Closes the database (after the client has ended) and ends its thread. */
  close: () => Promise<void>;
};

const threads = new Set<Worker>();

/**
 * Bytes of memory outside the JavaScript heaps held by this process's embedded-database threads (PGlite's
 * WebAssembly memory, which grows and never shrinks): what `process.memoryUsage().external` counted while
 * PGlite ran on the main thread. For the bench's memory figures (B7).
 */
export async function embeddedDatabaseMemory(): Promise<number> {
  let bytes = 0;
  for (const t of threads)
    bytes += (await t.getHeapStatistics().catch(() => ({ external_memory: 0 }))).external_memory;
  return bytes;
}

/**
 * Opens PGlite in `dataDir` ('memory://' or a directory) on its own thread. Resolves once the database is
 * open (migrations are the caller's); rejects with the thread's error if it cannot be opened. If the thread
 * dies later, every connection closes (postgres.js answers CONNECTION_CLOSED, the health check reports the
 * database down) and the error is logged.
 */
export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const worker = new Worker(new URL('./pglite-thread.ts', import.meta.url), {
    workerData: { dataDir },
    // plain Node (type stripping): loader flags of the parent (tsx, vitest) are not inherited
    execArgv: [],
  });
  const sockets = new Set<PortSocket>();
  let exited = false;
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { type: string; message?: string }) =>
      m.type === 'ready' ? resolve() : reject(new Error(`embedded database: ${m.message}`)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`embedded database thread exited (${code})`)));
  });
  worker.on('error', (err) => console.error('embedded database thread failed', err));
  threads.add(worker);
  worker.on('exit', () => {
    threads.delete(worker);
    exited = true;
    for (const s of sockets) s.destroy();
  });
  return {
    socket: () => {
      const { port1, port2 } = new MessageChannel();
      const s = new PortSocket(port1, () => sockets.delete(s));
      sockets.add(s);
      if (exited) queueMicrotask(() => s.destroy(new Error('embedded database thread has ended')));
      else worker.postMessage({ type: 'connect', port: port2 }, [port2]);
      return s;
    },
    close: async () => {
      if (exited) return;
      const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'close' });
      await done;
    },
  };
}

/** A Duplex over a MessagePort: what postgres.js writes goes to the database thread, its answers come back. */
class PortSocket extends Duplex {
  get readyState(): 'open' | 'closed' {
    return this.destroyed ? 'closed' : 'open';
  }
  constructor(
    private readonly port: MessagePort,
    private readonly forget: () => void,
  ) {
    super();
    port.on('message', (data: Uint8Array) =>
      this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)),
    );
    port.on('close', () => this.destroy());
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    const bytes = new Uint8Array(chunk); // its own buffer, handed over (a pooled Buffer would clone the pool)
    this.port.postMessage(bytes, [bytes.buffer]);
    done();
  }
  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.forget();
    this.port.close();
    done(err);
  }
  // what postgres.js calls on a net.Socket
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
}
