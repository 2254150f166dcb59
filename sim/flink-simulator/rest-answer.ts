/** A REST answer: status and JSON-serializable body. */
export interface RestAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** 200 with a body. */
export const ok = (body: unknown): RestAnswer => ({ status: 200, body });

/**
 * Flink's REST error shape, `{"errors": [...]}` (`ErrorResponseBody`, Flink 1.x), with 404 for an
 * unknown job, vertex or path.
 */
export const notFound = (message: string): RestAnswer => ({ status: 404, body: { errors: [message] } });

/** 400 in Flink's error shape, as a bad query parameter or request body gets. */
export const badRequest = (message: string): RestAnswer => ({ status: 400, body: { errors: [message] } });
