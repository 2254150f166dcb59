/** How errors read in logs, events and cycle results. */

/** `Name: message` with the cause chain, never a stack (logs must stay readable). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${describeError(error.cause)})` : '';
  return `${error.name}: ${error.message}${cause}`;
}
