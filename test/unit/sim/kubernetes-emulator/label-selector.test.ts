import { describe, expect, it } from 'vitest';
import {
  matchesSelector,
  parseLabelSelector,
  SelectorSyntaxError,
} from '../../../../sim/kubernetes-emulator/label-selector.ts';

const labels = { app: 'flink', tier: 'tm', 'flink-serverless-autoscaler/enabled': 'true' };

describe('label selectors', () => {
  it.each([
    ['', true],
    ['app=flink', true],
    ['app==flink', true],
    ['app!=flink', false],
    ['missing!=x', true],
    ['tier in (jm, tm)', true],
    ['tier notin (tm)', false],
    ['missing notin (tm)', true],
    ['flink-serverless-autoscaler/enabled', true],
    ['!flink-serverless-autoscaler/enabled', false],
    ['app=flink,tier in (jm),x', false],
    ['app=flink, tier in (jm,tm), !x', true],
  ])('%s → %s', (selector, expected) => {
    expect(matchesSelector(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it.each(['a in (b', 'bad key=1', '=x'])('rejects %s', (selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(SelectorSyntaxError);
  });
});
