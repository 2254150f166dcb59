import type { DecideOutput } from '../../lib/decide/decide.ts';
import { formatNumber, textTable } from './text-table.ts';

/** The decision of one cycle as terminal text: summary, guards, per-vertex table, events. */
export function decisionText(output: DecideOutput): string {
  const { decision, report } = output;
  const lines: string[] = [];
  lines.push(`Decision: ${decision.action}`);
  lines.push(decision.summary);
  lines.push(
    `Window: ${report.windowSampleCount} samples, ${report.windowFull ? 'full' : 'not full yet'}; restart time ${formatNumber(report.restartTimeMs / 1000)} s`,
  );
  if (decision.guards.length > 0) {
    lines.push('', 'Guards:');
    for (const guard of decision.guards) {
      lines.push(`  ${guard.passed ? 'pass' : 'STOP'}  ${guard.guard}: ${guard.detail}`);
    }
  }
  if (decision.vertices.length > 0) {
    lines.push(
      '',
      textTable(
        [
          'vertex',
          'current',
          'recommended',
          'TPR/s',
          'target/s',
          'scale-up <',
          'scale-down >',
          'factor',
          'rules',
        ],
        decision.vertices.map((vertex) => [
          vertex.vertexId.length > 12 ? `${vertex.vertexId.slice(0, 12)}…` : vertex.vertexId,
          String(vertex.currentParallelism),
          `${vertex.recommendedParallelism}${vertex.changed ? ' *' : ''}`,
          formatNumber(vertex.trueProcessingRateAvg),
          formatNumber(vertex.targetDataRateAvg),
          formatNumber(vertex.scaleUpRateThreshold),
          formatNumber(vertex.scaleDownRateThreshold),
          formatNumber(vertex.scaleFactor),
          vertex.reasons.join(', '),
        ]),
      ),
      '',
      'Why:',
      ...decision.vertices.map((vertex) => `  ${vertex.vertexId}: ${vertex.why}`),
    );
  }
  if (report.events.length > 0) {
    lines.push('', 'Events:');
    for (const event of report.events) {
      lines.push(`  ${event.type} ${event.reason}: ${event.message.replaceAll('\n', '\n    ')}`);
    }
  }
  return lines.join('\n');
}
