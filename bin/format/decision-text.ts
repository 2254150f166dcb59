import type { DecideOutput } from '../../lib/decide/decide.ts';
import { describePrice } from '../../lib/decide/price-decision.ts';
import { shortVertexId, shortVertexName, vertexLabel } from '../../lib/domain/index.ts';
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
  if (decision.price) lines.push(`Price: ${describePrice(decision.price)}`);
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
          'name',
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
          shortVertexId(vertex.vertexId),
          vertex.vertexName !== undefined ? shortVertexName(vertex.vertexName, 40) : '–',
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
      ...decision.vertices.map((vertex) => `  ${vertexLabel(vertex.vertexId, vertex.vertexName)}: ${vertex.why}`),
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
