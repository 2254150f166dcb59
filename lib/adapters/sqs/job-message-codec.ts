import { parseJobKey } from '../../domain/index.ts';
import type { JobMessage } from '../../ports/job-queue.ts';

/** A queue message body that is not a valid job message; names the field. */
export class InvalidJobMessageError extends Error {
  override readonly name = 'InvalidJobMessageError';
}

/** The JSON body of a job message: flat, small, versioned. */
export function encodeJobMessage(message: JobMessage): string {
  return JSON.stringify({
    v: 1,
    cluster: message.key.cluster,
    namespace: message.key.namespace,
    kind: message.key.kind,
    name: message.key.name,
    ...(message.uid ? { uid: message.uid } : {}),
    tickMs: message.tickMs,
  });
}

/** Parses and validates a message body (names and namespaces are checked before any use). */
export function decodeJobMessage(body: string): JobMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new InvalidJobMessageError(`job message is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (json === null || typeof json !== 'object')
    throw new InvalidJobMessageError('job message must be a JSON object');
  const record = json as Record<string, unknown>;
  if (record['v'] !== 1) {
    throw new InvalidJobMessageError(
      `job message version ${JSON.stringify(record['v'])} is not supported (expected 1)`,
    );
  }
  let key: JobMessage['key'];
  try {
    key = parseJobKey(record, 'message');
  } catch (error) {
    throw new InvalidJobMessageError((error as Error).message, { cause: error });
  }
  const tickMs = record['tickMs'];
  if (typeof tickMs !== 'number' || !Number.isFinite(tickMs) || tickMs < 0) {
    throw new InvalidJobMessageError(
      `message.tickMs is ${JSON.stringify(tickMs)}; expected epoch milliseconds`,
    );
  }
  const uid = record['uid'];
  if (uid !== undefined && (typeof uid !== 'string' || uid.length > 128)) {
    throw new InvalidJobMessageError(
      `message.uid is ${JSON.stringify(uid)}; expected a Kubernetes uid string`,
    );
  }
  return { key, tickMs, ...(typeof uid === 'string' ? { uid } : {}) };
}
