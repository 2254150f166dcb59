/**
 * The middy middleware stack shared by the dispatcher and scale-job handlers. One concern per
 * middleware, each a factory `(opts) => ({ before, after, onError })` whose options merge over a
 * `defaults` object (middy's convention).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/** Something that buffers metrics and writes them out (e.g. `EmfMetricsReporter`). */
export interface MetricsFlusher {
  flush(): void;
}

/**
 * An internal deadline: the Lambda's remaining time minus a safety margin, so the handler stops
 * its own work (HTTP calls, retries) early enough to persist state and flush metrics before the
 * Lambda runtime kills the invocation.
 */
export interface Deadline {
  /** Epoch ms at which the handler should have stopped working. */
  readonly atMs: number;
  /** Milliseconds left before the deadline (≥ 0). */
  remainingMs(): number;
  /** Whether the deadline has passed. */
  expired(): boolean;
  /** A timeout for one operation: `min(capMs, remainingMs())`, so no call outlives the deadline. */
  timeoutMs(capMs: number): number;
  /** An AbortSignal that aborts at the deadline (for fetch/undici/SDK `abortSignal`). */
  signal(): AbortSignal;
}

/** The Lambda context as the handler sees it behind {@link deadlineMiddleware}. */
export interface DeadlineContext extends Context {
  deadline: Deadline;
}

/**
 * Builds a {@link Deadline} from the Lambda's remaining time.
 *
 * @param remainingTimeMs - `context.getRemainingTimeInMillis()`
 * @param safetyMarginMs - time kept back for persisting, reporting and flushing
 * @param now - clock (epoch ms), injectable for tests
 */
export function createDeadline(
  remainingTimeMs: number,
  safetyMarginMs: number,
  now: () => number = Date.now,
): Deadline {
  const atMs = now() + Math.max(0, remainingTimeMs - safetyMarginMs);
  const remainingMs = () => Math.max(0, atMs - now());
  return {
    atMs,
    remainingMs,
    expired: () => remainingMs() === 0,
    timeoutMs: (capMs) => Math.min(capMs, remainingMs()),
    signal: () => AbortSignal.timeout(remainingMs()),
  };
}

/** Options of {@link loggerContextMiddleware}. */
export interface LoggerContextOptions {
  readonly logger: Logger;
  /** Log the incoming event at debug level (events carry no secrets, but can be large). */
  readonly logEvent?: boolean;
}

const loggerContextDefaults = { logEvent: false };

/**
 * Adds the Lambda context (request id, function name, cold start) to every log line, and removes the
 * keys the handler appended during the invocation (the job of each record) afterwards, so one
 * invocation's job context never leaks into the next one on a warm container.
 */
export function loggerContextMiddleware(opts: LoggerContextOptions): MiddlewareObj {
  const options = { ...loggerContextDefaults, ...opts };
  const reset = () => {
    options.logger.resetKeys();
  };
  return {
    name: 'loggerContext',
    before: (request) => {
      options.logger.addContext(request.context);
      if (options.logEvent) options.logger.debug('event', { event: request.event });
    },
    after: reset,
    onError: (request) => {
      options.logger.error('invocation failed', { error: request.error });
      reset();
    },
  };
}

/** Options of {@link metricsFlushMiddleware}. */
export interface MetricsFlushOptions {
  readonly metrics: MetricsFlusher;
}

/**
 * Flushes buffered metrics on `after` AND `onError`: a failed invocation's error and duration
 * metrics are the ones the alarms need most. Flush failures are swallowed after logging by the
 * caller's logger, never masking the handler's own result or error.
 */
export function metricsFlushMiddleware(opts: MetricsFlushOptions & { logger?: Logger }): MiddlewareObj {
  const flush = () => {
    try {
      opts.metrics.flush();
    } catch (error) {
      opts.logger?.warn('metrics flush failed', { error });
    }
  };
  return { name: 'metricsFlush', after: flush, onError: flush };
}

/** Options of {@link deadlineMiddleware}. */
export interface DeadlineOptions {
  /** Time kept back from the Lambda timeout. @default 10 000 ms */
  readonly safetyMarginMs?: number;
  /** Clock (epoch ms). @default `Date.now` */
  readonly now?: () => number;
}

const deadlineDefaults = { safetyMarginMs: 10_000, now: Date.now };

/** Puts a {@link Deadline} on `context.deadline` before the handler runs. */
export function deadlineMiddleware(opts: DeadlineOptions = {}): MiddlewareObj {
  const options = { ...deadlineDefaults, ...stripUndefined(opts) };
  return {
    name: 'deadline',
    before: (request) => {
      const context = request.context as DeadlineContext;
      context.deadline = createDeadline(
        context.getRemainingTimeInMillis(),
        options.safetyMarginMs,
        options.now,
      );
    },
  };
}

/** Options of {@link autoscalerMiddlewares} / {@link withAutoscalerMiddleware}. */
export interface AutoscalerMiddlewareOptions extends DeadlineOptions {
  readonly logger: Logger;
  readonly metrics: MetricsFlusher;
  readonly logEvent?: boolean;
}

/**
 * The ordered stack for both handlers. Middy runs `after`/`onError` in reverse order, so the
 * metrics flush runs before the logger keys are reset (flush warnings still carry the context).
 */
export function autoscalerMiddlewares(opts: AutoscalerMiddlewareOptions): MiddlewareObj[] {
  return [
    loggerContextMiddleware({ logger: opts.logger, logEvent: opts.logEvent ?? false }),
    metricsFlushMiddleware({ metrics: opts.metrics, logger: opts.logger }),
    deadlineMiddleware(opts),
  ];
}

/**
 * Wraps a handler in the autoscaler middleware stack.
 *
 * @example
 * export const handler = withAutoscalerMiddleware(async (event, context) => {
 *   const timeoutMs = context.deadline.timeoutMs(5_000);
 *   …
 * }, { logger, metrics: reporter });
 */
export function withAutoscalerMiddleware<TEvent, TResult>(
  handler: (event: TEvent, context: DeadlineContext) => Promise<TResult>,
  opts: AutoscalerMiddlewareOptions,
) {
  return middy<TEvent, TResult, Error, DeadlineContext>()
    .use(autoscalerMiddlewares(opts) as MiddlewareObj<TEvent, TResult, Error, DeadlineContext>[])
    .handler(handler);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
