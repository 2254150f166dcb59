/** A benchmark result rendered as a Markdown table. */
export interface BenchTable {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Optional notes printed under the table (sources, assumptions). */
  readonly notes?: readonly string[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[middle]!;
}

export function renderBenchTable(table: BenchTable): string {
  const lines = [
    `**${table.title}**`,
    '',
    `| ${table.headers.join(' | ')} |`,
    `| ${table.headers.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.join(' | ')} |`),
  ];
  if (table.notes && table.notes.length > 0) lines.push('', ...table.notes);
  return lines.join('\n');
}
