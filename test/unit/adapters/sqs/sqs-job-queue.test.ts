import type { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  deduplicationIdOf,
  JobQueueSendError,
  messageGroupIdOf,
  SqsJobQueue,
} from '../../../../lib/adapters/sqs/sqs-job-queue.ts';
import type { JobMessage } from '../../../../lib/ports/job-queue.ts';

const key = (name: string) => ({ cluster: 'prod', namespace: 'flink', kind: 'FlinkDeployment' as const, name });

/** Records the SendMessageBatch inputs (SQS cannot run locally) and accepts or fails entries. */
function recordingClient(failIds: readonly string[] = []) {
  const inputs: SendMessageBatchCommand['input'][] = [];
  return {
    inputs,
    send: async (command: SendMessageBatchCommand) => {
      inputs.push(command.input);
      const entries = command.input.Entries ?? [];
      return {
        Successful: entries.filter((e) => !failIds.includes(e.Id!)).map((e) => ({ Id: e.Id })),
        Failed: entries.filter((e) => failIds.includes(e.Id!)).map((e) => ({ Id: e.Id, Code: 'X', Message: 'no' })),
      };
    },
  };
}

describe('SqsJobQueue (FIFO)', () => {
  it('sends each job as its own message group, de-duplicated by job and tick, 10 per batch', async () => {
    const client = recordingClient();
    const messages: JobMessage[] = Array.from({ length: 12 }, (_, i) => ({ key: key(`job-${i}`), tickMs: 60_000 }));
    const queue = new SqsJobQueue(client as never, 'https://sqs.example/q.fifo');
    await expect(queue.send(messages)).resolves.toBe(12);
    expect(client.inputs.map((input) => input.Entries?.length)).toEqual([10, 2]);
    const first = client.inputs[0]!.Entries![0]!;
    expect(first.MessageGroupId).toBe(messageGroupIdOf(key('job-0')));
    expect(first.MessageDeduplicationId).toBe(`${messageGroupIdOf(key('job-0'))}:60000`);
    const groups = new Set(client.inputs.flatMap((input) => input.Entries!.map((e) => e.MessageGroupId)));
    expect(groups.size).toBe(12);
  });

  it('gives one job one group across ticks and a new de-duplication id per tick, within SQS limits', () => {
    const long = key('x'.repeat(253));
    expect(messageGroupIdOf(long)).toBe(messageGroupIdOf({ ...long }));
    expect(messageGroupIdOf(long)).not.toBe(messageGroupIdOf(key('y')));
    const ids = [60_000, 120_000].map((tickMs) => deduplicationIdOf({ key: long, tickMs }));
    expect(new Set(ids).size).toBe(2);
    // SQS: at most 128 characters of alphanumerics and punctuation.
    for (const id of [messageGroupIdOf(long), ...ids]) expect(id).toMatch(/^[\x21-\x7e]{1,128}$/);
  });

  it('names the jobs SQS did not accept', async () => {
    const queue = new SqsJobQueue(recordingClient(['1']) as never, 'https://sqs.example/q.fifo');
    const send = queue.send([
      { key: key('a'), tickMs: 1 },
      { key: key('b'), tickMs: 1 },
    ]);
    await expect(send).rejects.toThrow(JobQueueSendError);
    await expect(send).rejects.toThrow(/prod\/flink\/FlinkDeployment\/b \(X: no\)/);
  });
});
