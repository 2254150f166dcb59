import { describe, expect, it } from 'vitest';
import { namingVertex } from '../../../lib/decide/vertex-decisions.ts';
import type { AutoscalerEvent } from '../../../lib/domain/index.ts';

const HEX = 'bc764cd8ddf7a0cff126f51c16239658';
const event: AutoscalerEvent = {
  reason: 'IneffectiveScaling',
  type: 'Normal',
  message: `Ineffective scaling detected for ${HEX} (expected increase: 100.0, actual increase 2.0). Blocking of ineffective scaling decisions is enabled`,
  messageKey: `ineffective${HEX}100.0`,
  dedupeIntervalMs: 1_800_000,
};

describe('vertex events name their vertex', () => {
  it("appends 'Vertex: name (short id).' after the operator's text and keeps the key", () => {
    const named = namingVertex(event, { id: HEX, name: 'Source: Kafka orders -> Map' });
    expect(named.message).toBe(`${event.message} Vertex: Source: Kafka orders -> Map (bc764cd8).`);
    expect(named.messageKey).toBe(event.messageKey);
    expect(named.dedupeIntervalMs).toBe(event.dedupeIntervalMs);
  });

  it('leaves the event alone without a name', () => {
    expect(namingVertex(event, { id: HEX })).toBe(event);
    expect(namingVertex(event, { id: 'map', name: 'map' })).toBe(event);
  });
});
