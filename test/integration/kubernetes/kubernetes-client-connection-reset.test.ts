/**
 * A kept-alive connection that the server closed while idle shows up as a reset on the next
 * request (the cost benchmark met it after a long worker phase): the client retries once, at once,
 * on a new connection, except for a POST (an event create must never be duplicated).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { isConnectionReset } from '../../../lib/adapters/kubernetes/retry-policy.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that destroys the socket of its first `resets` requests and answers `{}` after. */
async function resettingServer(resets: number): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  server = createServer((request, response) => {
    requests += 1;
    if (requests <= resets) {
      request.socket.destroy();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ kind: 'Status', status: 'Success' }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests };
}

const client = (url: string) => new KubernetesClient({ baseUrl: url, sleep: async () => {}, random: () => 0 });

describe('Kubernetes client: a reset connection', () => {
  it('retries a GET once on a new connection', async () => {
    const api = await resettingServer(1);
    await expect(client(api.url).request('GET', '/api/v1/namespaces')).resolves.toEqual({
      kind: 'Status',
      status: 'Success',
    });
    expect(api.requests()).toBe(2);
  });

  it('gives up after the one retry, with the socket error', async () => {
    const api = await resettingServer(2);
    await expect(client(api.url).request('GET', '/api/v1/namespaces')).rejects.toThrow();
    expect(api.requests()).toBe(2);
  });

  it('never retries a POST (an event create must not be duplicated)', async () => {
    const api = await resettingServer(1);
    await expect(client(api.url).request('POST', '/api/v1/namespaces/x/events', { body: {} })).rejects.toThrow();
    expect(api.requests()).toBe(1);
  });

  it('tells a reset from other failures by its code, also when wrapped', () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(isConnectionReset(reset, 'GET')).toBe(true);
    expect(isConnectionReset(new Error('fetch failed', { cause: reset }), 'PATCH')).toBe(true);
    expect(isConnectionReset(reset, 'POST')).toBe(false);
    expect(isConnectionReset(Object.assign(new Error('timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'GET')).toBe(false);
    expect(isConnectionReset('ECONNRESET', 'GET')).toBe(false);
  });
});
