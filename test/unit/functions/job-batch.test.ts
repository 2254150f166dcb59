import { describe, expect, it } from 'vitest';
import { mapWithConcurrency, planBatch } from '../../../functions/scale-job/job-batch.ts';
import { encodeJobMessage } from '../../../lib/adapters/sqs/job-message-codec.ts';
import type { JobMessage } from '../../../lib/ports/job-queue.ts';

const key = (name: string) => ({ cluster: 'c', namespace: 'ns', kind: 'FlinkDeployment' as const, name });
const record = (messageId: string, message: JobMessage) => ({ messageId, body: encodeJobMessage(message) });

describe('planBatch', () => {
  it('keeps one message per job, the newest tick, and lists the others as superseded', () => {
    const plan = planBatch([
      record('a1', { key: key('a'), tickMs: 60_000 }),
      record('b1', { key: key('b'), tickMs: 60_000 }),
      record('a2', { key: key('a'), tickMs: 120_000 }),
      record('a0', { key: key('a'), tickMs: 0 }),
      record('a2-dup', { key: key('a'), tickMs: 120_000 }),
    ]);
    expect(plan.malformed).toEqual([]);
    expect(plan.work.map((w) => [w.job, w.messageId, w.message.tickMs, w.superseded])).toEqual([
      ['c/ns/FlinkDeployment/a', 'a2', 120_000, ['a1', 'a0', 'a2-dup']],
      ['c/ns/FlinkDeployment/b', 'b1', 60_000, []],
    ]);
  });

  it('sets malformed records apart with the reason', () => {
    const plan = planBatch([{ messageId: 'bad', body: '{"v":2}' }, record('ok', { key: key('a'), tickMs: 1 })]);
    expect(plan.malformed).toEqual([{ messageId: 'bad', error: expect.stringMatching(/version 2 is not supported/) }]);
    expect(plan.work.map((w) => w.messageId)).toEqual(['ok']);
  });
});

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once and keeps the input order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([30, 10, 20, 5, 15], 2, async (delayMs, index) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      running -= 1;
      return index;
    });
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });
});
