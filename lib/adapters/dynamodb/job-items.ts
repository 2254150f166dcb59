import { isDeepStrictEqual } from 'node:util';
import { emptyJobState, type JobState, type MetricSample, type VertexId } from '../../domain/index.ts';
import {
  type LoadedJob,
  type SaveRequest,
  type StateDiscard,
  StateTooLargeError,
  type StoreBasis,
  type TrimReport,
} from '../../ports/state-store.ts';
import { type ItemLimits, saveWindowOf } from '../state/save-window.ts';
import { NOTHING_TRIMMED, trimStateToFit } from '../state/state-trimming.ts';
import { mayLeaveStateUnwritten, withLastEvaluation, withoutBookkeeping } from '../state/state-write-elision.ts';
import { validateSaveRequest } from '../state/store-input.ts';
import { decodeBody, encodeBody } from './compressed-body.ts';
import {
  contextBodyText,
  contextDue,
  contextHashOf,
  encodeRecordedDecision,
  historyContextItem,
  historyTtls,
} from './history-items.ts';
import { sampleSortKey, sampleTsOf } from './item-keys.ts';
import { itemSizeBytes } from './item-size.ts';
import { decodeSampleBody, encodeSampleBody } from './sample-codec.ts';
import { CorruptItemError, decodeStateBody, encodeStateBody, vertexIdsOfState } from './state-codec.ts';
import { decodeRunItem } from './job-registry.ts';
import { ATTR, ITEM_SCHEMA_VERSION, SORT_KEYS, STATE_TABLE } from './table-schema.ts';

/**
 * Encoding of the STATE and SAMPLE items of the DynamoDB adapter. The rules every store shares
 * (window epochs, trimming, rounding, argument checks) live in `../state/`.
 */

/** A table item as the document client reads and writes it. */
export type TableItem = Record<string, unknown>;

/**
 * The writes of one save, in order: the history context (only when it changed; before the state,
 * so a stored state never names a context that is missing), the state, then the sample, so a
 * sample never lands for a losing run.
 */
export interface SavePlan {
  /** The revision the save leaves stored: the loaded one when the state is left unwritten. */
  readonly revision: number;
  readonly historyContextItem?: TableItem;
  /** The state item, conditional on the loaded revision; absent when only bookkeeping changed. */
  readonly stateItem?: TableItem;
  readonly sampleItem?: TableItem;
  readonly stateBytes: number;
  readonly sampleBytes: number;
  readonly trimmed: TrimReport;
  readonly windowReset: boolean;
}

/**
 * Builds the items of a save relative to `loaded`, in the window epoch {@link saveWindowOf}
 * gives, trimming the state to the size limit like every store.
 */
export function planSave(pk: string, loaded: LoadedJob, request: SaveRequest, limits: ItemLimits): SavePlan {
  validateSaveRequest(loaded, request);
  const { state, sample } = request;
  const { revision, epoch, windowReset, newEpoch } = saveWindowOf(loaded, state, sample?.tsMs);

  // Sample columns are only meaningful against their own vertex dictionary: a new epoch starts one.
  const dictionary: VertexId[] = newEpoch ? [] : [...loaded.basis.vertexIds];
  const known = new Set(dictionary);
  const addVertex = (id: VertexId): void => {
    if (!known.has(id)) {
      known.add(id);
      dictionary.push(id);
    }
  };
  for (const id of Object.keys(sample?.vertices ?? {})) addVertex(id);
  // Trimming only removes entries, so the untrimmed state names every vertex the stored one can.
  for (const id of vertexIdsOfState(state)) addVertex(id);

  const history = historyPlan(pk, loaded, request, epoch, dictionary, limits);
  let sampleItem: TableItem | undefined;
  let sampleBytes = 0;
  if (sample) {
    const ttlSeconds = Math.ceil((sample.tsMs + request.windowMs + limits.sampleTtlGraceMs) / 1000);
    sampleItem = {
      [STATE_TABLE.partitionKey]: pk,
      [STATE_TABLE.sortKey]: sampleSortKey(sample.tsMs),
      [ATTR.schemaVersion]: ITEM_SCHEMA_VERSION,
      [ATTR.epoch]: epoch,
      [STATE_TABLE.ttlAttribute]: ttlSeconds,
      ...encodeBody(encodeSampleBody(sample, dictionary)),
      ...history.sampleAttributes,
    };
    sampleBytes = itemSizeBytes(sampleItem);
    if (sampleBytes > limits.sampleMaxBytes) {
      throw new StateTooLargeError(`sample item at ${sample.tsMs}`, sampleBytes, limits.sampleMaxBytes);
    }
  }
  const contextItem = history.contextItem ? { historyContextItem: history.contextItem } : {};
  // Decided before the state item is built: a steady cycle then neither encodes nor compresses it.
  // The loaded state fitted the limit when it was written, so a state equal to it fits too.
  const leaveState =
    !newEpoch &&
    dictionary.length === loaded.basis.vertexIds.length &&
    sameHistoryContext(history.stateAttributes, loaded.basis.historyContext) &&
    mayLeaveStateUnwritten(loaded, request, limits) &&
    sameStoredBody(state, loaded.state, dictionary);
  if (leaveState) {
    return {
      revision: loaded.basis.revision,
      ...contextItem,
      ...(sampleItem ? { sampleItem } : {}),
      stateBytes: loaded.basis.stateBytes ?? 0,
      sampleBytes,
      trimmed: NOTHING_TRIMMED,
      windowReset,
    };
  }

  // Each trimming round measures a built item; the last one built is the one written.
  let built: { readonly state: JobState; readonly item: TableItem } | undefined;
  const build = (s: JobState): TableItem => {
    if (built?.state !== s) built = { state: s, item: stateItem(pk, s, revision, epoch, dictionary) };
    return built.item;
  };
  const fitted = trimStateToFit(state, (s) => itemSizeBytes(build(s)), limits.stateTrimThresholdBytes);
  if (fitted.bytes > limits.stateTrimThresholdBytes) {
    throw new StateTooLargeError('state item (after trimming)', fitted.bytes, limits.stateTrimThresholdBytes);
  }
  const finalState = { ...build(fitted.state), ...history.stateAttributes };
  return {
    revision,
    ...contextItem,
    stateItem: finalState,
    ...(sampleItem ? { sampleItem } : {}),
    stateBytes: itemSizeBytes(finalState),
    sampleBytes,
    trimmed: fitted.trimmed,
    windowReset,
  };
}

/**
 * Whether `next` would be stored as `loaded` up to bookkeeping (../state/state-write-elision.ts),
 * compared as the codec reads them back, so key order and metric rounding make no difference.
 * Equal encodings settle it without decoding (the usual steady cycle).
 */
function sameStoredBody(next: JobState, loaded: JobState, dictionary: readonly VertexId[]): boolean {
  const encoded = (s: JobState) => encodeStateBody(withoutBookkeeping(s, loaded), dictionary);
  const nextText = encoded(next);
  const loadedText = encoded(loaded);
  if (nextText === loadedText) return true;
  return isDeepStrictEqual(decodeStateBody(nextText).state, decodeStateBody(loadedText).state);
}

/** Whether the state attributes of the history plan repeat the loaded state's (or both have none). */
function sameHistoryContext(attributes: TableItem, loaded: StoreBasis['historyContext']): boolean {
  const hash = attributes[ATTR.historyHash];
  if (hash === undefined) return loaded === undefined;
  return loaded !== undefined && hash === loaded.hash && attributes[ATTR.historyWrittenAtMs] === loaded.writtenAtMs;
}

/** The history parts of a save: extra attributes of the state and sample items, and the context item. */
interface HistoryPlan {
  readonly stateAttributes: TableItem;
  readonly sampleAttributes: TableItem;
  readonly contextItem?: TableItem;
}

/**
 * With `request.history` (retention > 0) and a sample: the sample lives for the retention and
 * carries the decision and its context's hash; the context item is written when it changed or is
 * due for a refresh, and the state item remembers which one was written last.
 */
function historyPlan(
  pk: string,
  loaded: LoadedJob,
  request: SaveRequest,
  epoch: number,
  dictionary: readonly VertexId[],
  limits: ItemLimits,
): HistoryPlan {
  const { sample, history } = request;
  if (!sample || !history) return { stateAttributes: {}, sampleAttributes: {} };
  const bodyText = contextBodyText(history.context, epoch, dictionary);
  const hash = contextHashOf(bodyText);
  const ttls = historyTtls(sample.tsMs, request.windowMs, limits.sampleTtlGraceMs, history.retentionMs);
  const last = loaded.basis.historyContext;
  const due = contextDue(last, hash, sample.tsMs, history.retentionMs);
  const writtenAtMs = due || !last ? sample.tsMs : last.writtenAtMs;
  return {
    stateAttributes: { [ATTR.historyHash]: hash, [ATTR.historyWrittenAtMs]: writtenAtMs },
    sampleAttributes: {
      [STATE_TABLE.ttlAttribute]: ttls.sampleTtlSeconds,
      [ATTR.historyHash]: hash,
      [ATTR.decision]: encodeRecordedDecision(history.decision, history.missingRequired, dictionary),
    },
    ...(due
      ? { contextItem: historyContextItem(pk, sample.tsMs, epoch, bodyText, hash, ttls.contextTtlSeconds) }
      : {}),
  };
}

function stateItem(
  pk: string,
  state: JobState,
  revision: number,
  epoch: number,
  vertexIds: VertexId[],
): TableItem {
  return {
    [STATE_TABLE.partitionKey]: pk,
    [STATE_TABLE.sortKey]: SORT_KEYS.state,
    [ATTR.schemaVersion]: ITEM_SCHEMA_VERSION,
    [ATTR.revision]: revision,
    [ATTR.epoch]: epoch,
    ...(state.jobId !== undefined ? { [ATTR.jobId]: state.jobId } : {}),
    ...(state.topologyHash !== undefined ? { [ATTR.topologyHash]: state.topologyHash } : {}),
    ...encodeBody(encodeStateBody(state, vertexIds)),
  };
}

/**
 * Decodes the items of one job's load query (STATE and SAMPLE items in any order) into what
 * {@link StateStore.load} returns. Never throws on bad content: an unreadable STATE becomes the
 * empty state with a `discarded` reason, unreadable samples are skipped and counted.
 */
export function decodeJobItems(items: readonly TableItem[], sinceMs: number): LoadedJob {
  const stateRecord = items.find((i) => i[STATE_TABLE.sortKey] === SORT_KEYS.state);
  const sampleRecords = items.filter(
    (i) =>
      typeof i[STATE_TABLE.sortKey] === 'string' &&
      (i[STATE_TABLE.sortKey] as string).startsWith(SORT_KEYS.samplePrefix),
  );
  const lastRun = decodeRunItem(items.find((i) => i[STATE_TABLE.sortKey] === SORT_KEYS.run));
  const withRun = (loaded: LoadedJob): LoadedJob => (lastRun ? { ...loaded, lastRun } : loaded);
  if (!stateRecord) return withRun(fresh(0, 0));

  const rawRevision = stateRecord[ATTR.revision];
  const revision =
    Number.isSafeInteger(rawRevision) && (rawRevision as number) > 0 ? (rawRevision as number) : 0;
  const version = stateRecord[ATTR.schemaVersion];
  if (version !== ITEM_SCHEMA_VERSION) {
    return withRun(fresh(revision, sampleRecords.length, {
      code: 'unknown-version',
      detail: `state item schema version ${JSON.stringify(version)} is not ${ITEM_SCHEMA_VERSION}`,
    }));
  }
  let decoded: ReturnType<typeof decodeStateBody>;
  try {
    if (revision === 0)
      throw new CorruptItemError(`revision ${JSON.stringify(rawRevision)} is not a positive integer`);
    const epoch = stateRecord[ATTR.epoch];
    if (!Number.isSafeInteger(epoch))
      throw new CorruptItemError(`epoch ${JSON.stringify(epoch)} is not an integer`);
    decoded = decodeStateBody(decodeBody(stateRecord));
  } catch (error) {
    return withRun(fresh(revision, sampleRecords.length, { code: 'corrupt', detail: (error as Error).message }));
  }
  const epoch = stateRecord[ATTR.epoch] as number;
  const jobId = optionalString(stateRecord[ATTR.jobId]);
  const topologyHash = optionalString(stateRecord[ATTR.topologyHash]);
  const state: JobState = {
    ...decoded.state,
    ...(jobId !== undefined ? { jobId } : {}),
    ...(topologyHash !== undefined ? { topologyHash } : {}),
  };

  const samples: MetricSample[] = [];
  let skippedSamples = 0;
  for (const record of sampleRecords) {
    const tsMs = sampleTsOf(record[STATE_TABLE.sortKey] as string);
    if (tsMs === undefined || tsMs < sinceMs) continue;
    if (record[ATTR.epoch] !== epoch) continue; // an earlier job run or topology: not this window
    try {
      if (record[ATTR.schemaVersion] !== ITEM_SCHEMA_VERSION)
        throw new CorruptItemError('unknown sample version');
      samples.push(decodeSampleBody(decodeBody(record), tsMs, decoded.vertexIds));
    } catch {
      skippedSamples++;
    }
  }
  samples.sort((a, b) => a.tsMs - b.tsMs);
  const historyHash = stateRecord[ATTR.historyHash];
  const historyWrittenAtMs = stateRecord[ATTR.historyWrittenAtMs];
  const basis: StoreBasis = {
    revision,
    epoch,
    vertexIds: decoded.vertexIds,
    ...(state.lastEvaluationMs !== undefined ? { stateWrittenMs: state.lastEvaluationMs } : {}),
    stateBytes: itemSizeBytes(stateRecord),
    ...(jobId !== undefined ? { jobId } : {}),
    ...(topologyHash !== undefined ? { topologyHash } : {}),
    ...(typeof historyHash === 'string' && Number.isSafeInteger(historyWrittenAtMs)
      ? { historyContext: { hash: historyHash, writtenAtMs: historyWrittenAtMs as number } }
      : {}),
  };
  return withRun({ state: withLastEvaluation(state, samples), revision, samples, skippedSamples, basis });
}

/** The empty state; after a discard the next save must overwrite at `revision`. */
function fresh(revision: number, skippedSamples: number, discarded?: StateDiscard): LoadedJob {
  return {
    state: emptyJobState(),
    revision,
    samples: [],
    skippedSamples: discarded ? skippedSamples : 0,
    ...(discarded ? { discarded } : {}),
    basis: { revision, epoch: -1, vertexIds: [] },
  };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
