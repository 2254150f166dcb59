/**
 * A restartable dynalite (LevelDB on disk, so a restart keeps the data, as DynamoDB does) behind
 * a small HTTP proxy that can inject DynamoDB error answers (throttling, conditional failures) or
 * run a hook before a request is forwarded. The SDK talks real HTTP to the proxy; only the
 * injected answers are synthetic, in DynamoDB's own JSON error format.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface DynaliteServer {
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
  address(): AddressInfo | string | null;
}
type DynaliteFactory = (options: Record<string, unknown>) => DynaliteServer;
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

/** A fault on requests whose `X-Amz-Target` operation matches (e.g. `PutItem`). */
export interface DynamoFault {
  /** DynamoDB operation (`PutItem`, `Query`, …); any when absent. */
  readonly operation?: string;
  /**
   * Only requests with a `ConditionExpression` (a conditional-check failure can only answer
   * those; DynamoDB Developer Guide, "Condition expressions").
   */
  readonly conditional?: boolean;
  /** How many matching requests to affect. */
  readonly times: number;
  /** Answer with this error type (`ThrottlingException`, `ConditionalCheckFailedException`, …). */
  readonly errorType?: string;
  /** HTTP status of the injected error. @default 400 */
  readonly status?: number;
  /** Run before the request is forwarded (a concurrent writer, a server restart). */
  readonly before?: () => Promise<void>;
}

export interface DynamoFaultProxy {
  /** Endpoint for the SDK (the proxy). */
  readonly endpoint: string;
  /** Operations seen, in order (`PutItem`, `Query`, …). */
  readonly operations: readonly string[];
  /** Injected error answers sent so far. */
  injectedErrors(): number;
  inject(fault: DynamoFault): void;
  clearFaults(): void;
  /** Stops the DynamoDB server; requests fail at the transport level until {@link start}. */
  stop(): Promise<void>;
  /** Starts (again) on the same data directory. */
  start(): Promise<void>;
  readonly running: boolean;
  close(): Promise<void>;
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startDynamoFaultProxy(): Promise<DynamoFaultProxy> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fsa-dynalite-'));
  let backend: DynaliteServer | undefined;
  let backendPort = 0;
  const faults: { fault: DynamoFault; left: number }[] = [];
  const operations: string[] = [];
  let injected = 0;

  const start = async () => {
    if (backend) return;
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: dataDir });
    await new Promise<void>((resolve, reject) =>
      server.listen(backendPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
    );
    backendPort = (server.address() as AddressInfo).port;
    backend = server;
  };
  const stop = async () => {
    const server = backend;
    backend = undefined;
    if (server)
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  };

  const proxy: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.split('.').pop() ?? '';
      operations.push(operation);
      const conditional = body.includes('"ConditionExpression"');
      const entry = faults.find(
        (f) =>
          f.left > 0 &&
          (!f.fault.operation || f.fault.operation === operation) &&
          (!f.fault.conditional || conditional),
      );
      if (entry) {
        entry.left -= 1;
        if (entry.fault.before) await entry.fault.before();
        if (entry.fault.errorType) {
          injected += 1;
          const text = JSON.stringify({
            __type: `com.amazonaws.dynamodb.v20120810#${entry.fault.errorType}`,
            message: `Injected ${entry.fault.errorType}`,
          });
          res.writeHead(entry.fault.status ?? 400, {
            'content-type': 'application/x-amz-json-1.0',
            'content-length': Buffer.byteLength(text),
          });
          res.end(text);
          return;
        }
      }
      if (!backend) {
        // The server is down: the connection drops, as a restarting endpoint does.
        req.socket.destroy();
        return;
      }
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: backendPort,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: `127.0.0.1:${backendPort}` },
          agent: false,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => req.socket.destroy());
      upstream.end(body);
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  await start();

  return {
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    operations,
    injectedErrors: () => injected,
    inject: (fault) => {
      faults.push({ fault, left: fault.times });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    stop,
    start,
    get running() {
      return backend !== undefined;
    },
    close: async () => {
      await stop();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
