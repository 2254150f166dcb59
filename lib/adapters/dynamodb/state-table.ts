/**
 * The DynamoDB state table as the store's modules use it: the client, the table name, capacity
 * reporting (for the benchmark) and the Query loop, plus the mapping of failures to
 * {@link StateStoreError}s that name what was attempted.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { formatJobKey, type JobKey } from '../../domain/index.ts';
import { StateStoreError } from '../../ports/state-store.ts';
import type { TableItem } from './job-items.ts';

/** The only client capability the adapter needs; a `DynamoDBDocumentClient` satisfies it. */
export type DocumentClient = Pick<DynamoDBDocumentClient, 'send'>;

/** Capacity consumed by one DynamoDB request (reported when a listener is set). */
export interface CapacityReport {
  readonly operation:
    | 'load'
    | 'save-state'
    | 'save-sample'
    | 'save-history-context'
    | 'read-history'
    | 'event'
    | 'list-events'
    | 'registry'
    | 'forget'
    | 'run';
  readonly capacityUnits: number;
}

/** Client, table name and capacity listener of one store. */
export class StateTable {
  readonly client: DocumentClient;
  readonly name: string;
  readonly #onCapacity: ((report: CapacityReport) => void) | undefined;

  constructor(client: DocumentClient, name: string, onCapacity?: (report: CapacityReport) => void) {
    this.client = client;
    this.name = name;
    this.#onCapacity = onCapacity;
  }

  /** Asks DynamoDB for the consumed capacity only when someone listens (it costs response bytes). */
  capacityRequest(): { ReturnConsumedCapacity?: 'TOTAL' } {
    return this.#onCapacity ? { ReturnConsumedCapacity: 'TOTAL' } : {};
  }

  /** Passes a request's consumed capacity to the listener. */
  report(operation: CapacityReport['operation'], capacityUnits: number | undefined): void {
    if (this.#onCapacity && capacityUnits !== undefined) this.#onCapacity({ operation, capacityUnits });
  }

  /**
   * Runs a Query to the end (or until `stopAfter` items), following LastEvaluatedKey; a failure
   * names `what` ("load for <job>").
   */
  async queryAll(
    what: string,
    operation: CapacityReport['operation'],
    input: Omit<QueryCommandInput, 'TableName'>,
    stopAfter = Number.POSITIVE_INFINITY,
  ): Promise<TableItem[]> {
    const items: TableItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    try {
      do {
        const out = await this.client.send(
          new QueryCommand({
            ...input,
            TableName: this.name,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            ...this.capacityRequest(),
          }),
        );
        this.report(operation, out.ConsumedCapacity?.CapacityUnits);
        items.push(...(out.Items ?? []));
        startKey = out.LastEvaluatedKey;
      } while (startKey && items.length < stopAfter);
    } catch (error) {
      throw failed(error, what);
    }
    return items;
  }
}

/** "load for cluster/namespace/Kind/name". */
export function forJob(operation: string, jobKey: JobKey): string {
  return `${operation} for ${formatJobKey(jobKey)}`;
}

/** The StateStoreError of a failed DynamoDB call, naming what was attempted. */
export function failed(error: unknown, what: string): StateStoreError {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StateStoreError(`DynamoDB ${what} failed: ${message}`, { cause: error });
}

/** The StateStoreError of a failed call for one job. */
export function failedForJob(error: unknown, operation: string, jobKey: JobKey): StateStoreError {
  return failed(error, forJob(operation, jobKey));
}

/** Whether a write failed only because its condition did not hold. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
