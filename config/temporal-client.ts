// The web server's Temporal client connection, tuned to fail fast when the server is down: a request
// gets a 503 within about a second instead of hanging while the SDK retries for ~20 s (its default is 10
// gRPC attempts with backoff up to 5 s), and it reconnects within ~2 s once the server is back (gRPC's
// default reconnect backoff grows to 2 minutes).
import {
  Connection,
  type ConnectionOptions,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
} from '@temporalio/client';

/** Initial connect budget (ms) and gRPC attempts per call (first try + retries on UNAVAILABLE etc.). */
export const TEMPORAL_CONNECT_TIMEOUT_MS = 5_000;
export const TEMPORAL_RPC_ATTEMPTS = 3;

/** Connects now (throws after TEMPORAL_CONNECT_TIMEOUT_MS when the server is not there). */
export function connectTemporalClient(address: string): Promise<Connection> {
  return Connection.connect(temporalClientOptions(address));
}

export function temporalClientOptions(address: string): ConnectionOptions {
  return {
    address,
    connectTimeout: TEMPORAL_CONNECT_TIMEOUT_MS,
    interceptors: [
      makeGrpcRetryInterceptor(
        defaultGrpcRetryOptions({ maxAttempts: TEMPORAL_RPC_ATTEMPTS, initialIntervalMs: () => 100 }),
      ),
    ],
    channelArgs: {
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 2_000,
      'grpc.min_reconnect_backoff_ms': 200,
    },
  };
}
