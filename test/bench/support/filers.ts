// B2's citizens filing, on a thread of their own (a worker thread; b2-intake.ts starts it). The people the
// bench stands for are not in the server's process: their HTTP client (undici's fetch, its streams and
// buffers) spent ≈ 9 % of the main thread's time per filing when it ran there, in the queue in front of
// the server's own work and its garbage. Each request files one manifestation (support/filing-request.ts)
// and answers its protocol; the bench's thread then waits, as the list page does, until the case is in
// the list. Messages: in {file: {n, i}} → out {n, protocol} | {n, error}; in {close} → out {closed}.
import { parentPort, workerData } from 'node:worker_threads';
import { postFiling } from './filing-request.ts';

export type FilersData = { base: string };
export type FilersRequest = { file: { n: number; i: number } } | { close: true };
export type FilersAnswer = { n: number; protocol: string } | { n: number; error: string } | { closed: true };

const data = workerData as FilersData;
const port = parentPort!;

port.on('message', (request: FilersRequest) => {
  if ('close' in request) {
    port.postMessage({ closed: true } satisfies FilersAnswer);
    port.close();
    return;
  }
  const { n, i } = request.file;
  postFiling(data.base, i).then(
    (protocol) => port.postMessage({ n, protocol } satisfies FilersAnswer),
    (err: unknown) =>
      port.postMessage({ n, error: err instanceof Error ? err.message : String(err) } satisfies FilersAnswer),
  );
});
