/**
 * How a job vertex is named wherever a person reads a decision (events, `fsa status`, CLI tables,
 * the local world's report): the operator chain's name with a short id, since a 32-hex JobVertexID
 * alone means nothing to whoever runs the job, and the name alone is not unique.
 */
import type { VertexId } from './topology.ts';

/**
 * Characters of a name kept in the job state: a little more than any label shows, already shortened
 * the same chain-aware way, so 1,000 vertices add at most about 64 KB (before compression) to the
 * STATE item.
 */
export const MAX_STORED_VERTEX_NAME_CHARS = 64;

/** Characters of a name shown in a label (table cells, event lines). */
export const DEFAULT_VERTEX_NAME_CHARS = 48;

/** Separator Flink puts between the operators of a chain (`Source: Kafka -> Map -> Sink: Print`). */
const CHAIN_SEPARATOR = ' -> ';

/** A 32-hex JobVertexID shortened to its first 8 characters (as git shortens hashes); other ids as they are. */
export function shortVertexId(id: VertexId): string {
  return /^[0-9a-f]{32}$/i.test(id) ? id.slice(0, 8) : id;
}

/**
 * A vertex name in at most `maxChars` characters. Whitespace runs (SQL plans have newlines) become
 * one space. A chain too long keeps its first and last operator around `…` (where the data
 * enters and leaves the vertex, the parts that identify it); if even that is too long, the name
 * is cut with `…`.
 */
export function shortVertexName(name: string, maxChars = DEFAULT_VERTEX_NAME_CHARS): string {
  const text = name.replace(/\s+/g, ' ').trim();
  if (text.length <= maxChars) return text;
  const operators = text.split(CHAIN_SEPARATOR);
  if (operators.length > 2) {
    const ends = `${operators[0]}${CHAIN_SEPARATOR}…${CHAIN_SEPARATOR}${operators.at(-1)}`;
    if (ends.length <= maxChars) return ends;
  }
  return `${text.slice(0, Math.max(1, maxChars - 1)).trimEnd()}…`;
}

/**
 * `name (short id)`, e.g. `Source: Kafka -> … -> Map (bc764cd8)`; the id alone when the vertex has
 * no name or its name is its id (tests and simulated jobs use symbolic ids).
 */
export function vertexLabel(id: VertexId, name: string | undefined, maxNameChars = DEFAULT_VERTEX_NAME_CHARS): string {
  const shown = name === undefined ? '' : shortVertexName(name, maxNameChars);
  if (shown === '' || shown === id) return id;
  return `${shown} (${shortVertexId(id)})`;
}

/** Names of the vertices that have one, shortened for storage; undefined when none has. */
export function vertexNamesOf(
  vertices: readonly { readonly id: VertexId; readonly name?: string }[],
): Record<VertexId, string> | undefined {
  const named = vertices.filter((v) => v.name !== undefined && v.name.trim() !== '' && v.name !== v.id);
  if (named.length === 0) return undefined;
  return Object.fromEntries(
    named.map((v) => [v.id, shortVertexName(v.name as string, MAX_STORED_VERTEX_NAME_CHARS)]),
  );
}
