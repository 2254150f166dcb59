import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import {
  createDeadline,
  type DeadlineContext,
  deadlineMiddleware,
  loggerContextMiddleware,
  metricsFlushMiddleware,
  withAutoscalerMiddleware,
} from '../../../functions/shared/middleware.ts';

function lambdaContext(remainingMs = 60_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'scale-job',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:scale-job',
    memoryLimitInMB: '512',
    awsRequestId: 'req-1',
    logGroupName: '/aws/lambda/scale-job',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function recordingFlusher() {
  const calls: string[] = [];
  return { calls, flusher: { flush: () => calls.push('flush') } };
}

function quietLogger(): Logger {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  return logger;
}

describe('metricsFlushMiddleware', () => {
  it('flushes after a successful invocation', async () => {
    // Prepare
    const { calls, flusher } = recordingFlusher();
    const handler = middy(async () => 'ok').use(metricsFlushMiddleware({ metrics: flusher }));

    // Act
    const result = await handler({}, lambdaContext());

    // Assess
    expect(result).toBe('ok');
    expect(calls).toEqual(['flush']);
  });

  it('flushes when the handler throws, and the error still propagates', async () => {
    // Prepare
    const { calls, flusher } = recordingFlusher();
    const handler = middy(async () => {
      throw new Error('boom');
    }).use(metricsFlushMiddleware({ metrics: flusher }));

    // Act / Assess
    await expect(handler({}, lambdaContext())).rejects.toThrow('boom');
    expect(calls).toEqual(['flush']);
  });

  it('never lets a failing flush replace the handler result', async () => {
    // Prepare
    const logger = quietLogger();
    const warn = vi.spyOn(logger, 'warn');
    const failing = {
      flush: () => {
        throw new Error('sink closed');
      },
    };
    const handler = middy(async () => 'ok').use(metricsFlushMiddleware({ metrics: failing, logger }));

    // Act
    const result = await handler({}, lambdaContext());

    // Assess
    expect(result).toBe('ok');
    expect(warn).toHaveBeenCalledWith('metrics flush failed', expect.anything());
  });
});

describe('loggerContextMiddleware', () => {
  it('adds the Lambda context before the handler and resets appended keys afterwards', async () => {
    // Prepare
    const logger = quietLogger();
    const addContext = vi.spyOn(logger, 'addContext');
    const resetKeys = vi.spyOn(logger, 'resetKeys');
    const context = lambdaContext();
    const handler = middy(async () => {
      logger.appendKeys({ job: 'prod/flink/FlinkDeployment/orders' });
      expect(resetKeys).not.toHaveBeenCalled();
    }).use(loggerContextMiddleware({ logger }));

    // Act
    await handler({}, context);

    // Assess
    expect(addContext).toHaveBeenCalledWith(context);
    expect(resetKeys).toHaveBeenCalledTimes(1);
  });

  it('logs the error and resets keys when the handler fails', async () => {
    // Prepare
    const logger = quietLogger();
    const error = vi.spyOn(logger, 'error');
    const resetKeys = vi.spyOn(logger, 'resetKeys');
    const handler = middy(async () => {
      throw new Error('boom');
    }).use(loggerContextMiddleware({ logger }));

    // Act
    await expect(handler({}, lambdaContext())).rejects.toThrow('boom');

    // Assess
    expect(error).toHaveBeenCalledWith(
      'invocation failed',
      expect.objectContaining({ error: expect.any(Error) }),
    );
    expect(resetKeys).toHaveBeenCalledTimes(1);
  });
});

describe('deadlineMiddleware', () => {
  it('gives the handler the remaining time minus the safety margin', async () => {
    // Prepare
    let now = 1_000_000;
    const handler = middy<unknown, number, Error, DeadlineContext>(
      async (_event: unknown, context: DeadlineContext) => {
        now += 2_000;
        return context.deadline.remainingMs();
      },
    ).use(deadlineMiddleware({ safetyMarginMs: 5_000, now: () => now }));

    // Act
    const remaining = await handler({}, lambdaContext(30_000) as DeadlineContext);

    // Assess: 30 000 − 5 000 margin − 2 000 spent
    expect(remaining).toBe(23_000);
  });

  it('uses the default margin of 10 s', async () => {
    // Prepare
    const handler = middy<unknown, number, Error, DeadlineContext>(
      async (_event: unknown, context: DeadlineContext) => context.deadline.timeoutMs(60_000),
    ).use(deadlineMiddleware({ now: () => 0 }));

    // Act
    const timeout = await handler({}, lambdaContext(15_000) as DeadlineContext);

    // Assess
    expect(timeout).toBe(5_000);
  });
});

describe('createDeadline', () => {
  it.each([
    { name: 'cap below the remaining time', remaining: 20_000, margin: 5_000, cap: 3_000, expected: 3_000 },
    { name: 'remaining time below the cap', remaining: 8_000, margin: 5_000, cap: 10_000, expected: 3_000 },
    { name: 'margin larger than remaining', remaining: 2_000, margin: 5_000, cap: 10_000, expected: 0 },
  ])('timeoutMs: $name', ({ remaining, margin, cap, expected }) => {
    const deadline = createDeadline(remaining, margin, () => 0);
    expect(deadline.timeoutMs(cap)).toBe(expected);
    expect(deadline.expired()).toBe(expected === 0 && cap > 0);
  });

  it('returns a signal that aborts at the deadline', async () => {
    const deadline = createDeadline(10, 0);
    const signal = deadline.signal();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(signal.aborted).toBe(true);
  });
});

describe('withAutoscalerMiddleware', () => {
  it('runs the whole stack: context, deadline, then flush on error', async () => {
    // Prepare
    const logger = quietLogger();
    const { calls, flusher } = recordingFlusher();
    const seen: number[] = [];
    const handler = withAutoscalerMiddleware<unknown, void>(
      async (_event: unknown, context: DeadlineContext) => {
        seen.push(context.deadline.remainingMs());
        throw new Error('scale-job handler is wired in the run-cycle step');
      },
      { logger, metrics: flusher, safetyMarginMs: 1_000, now: () => 0 },
    );

    // Act
    await expect(handler({}, lambdaContext(5_000) as DeadlineContext)).rejects.toThrow(/run-cycle/);

    // Assess
    expect(seen).toEqual([4_000]);
    expect(calls).toEqual(['flush']);
  });
});
