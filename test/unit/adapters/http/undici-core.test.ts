import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as undici from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, dispatchRequest, undiciErrors } from '../../../../lib/adapters/http/undici-core.ts';

describe('undici-core (the undici modules the adapters import by path)', () => {
  it('exports the very objects the undici index exports', () => {
    // Fails when an undici upgrade moves a module: then undici-core.ts must follow.
    expect(Agent).toBe(undici.Agent);
    expect(undiciErrors).toBe(undici.errors);
    expect(undiciErrors.HeadersTimeoutError).toBe(undici.errors.HeadersTimeoutError);
    expect(typeof new Agent().request).toBe('function');
  });

  describe('dispatchRequest', () => {
    let server: Server;
    let baseUrl: string;
    const seen: { method: string; url: string; body: string }[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          seen.push({ method: req.method ?? '', url: req.url ?? '', body });
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ ok: true }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('sends the path and query of the URL (a service-proxy path, a comma list) and the body', async () => {
      const agent = new Agent();
      const url = `${baseUrl}/api/v1/namespaces/ns/services/job-rest:8081/proxy/jobs/j1/vertices/v1/subtasks/metrics?get=busyTimeMsPerSecond,numRecordsIn&agg=max`;
      const response = await dispatchRequest(agent, url, { method: 'PATCH', body: '{"a":1}' });
      expect(response.statusCode).toBe(200);
      expect(await response.body.json()).toEqual({ ok: true });
      expect(seen.at(-1)).toEqual({
        method: 'PATCH',
        url: '/api/v1/namespaces/ns/services/job-rest:8081/proxy/jobs/j1/vertices/v1/subtasks/metrics?get=busyTimeMsPerSecond,numRecordsIn&agg=max',
        body: '{"a":1}',
      });
      await agent.close();
    });
  });
});
