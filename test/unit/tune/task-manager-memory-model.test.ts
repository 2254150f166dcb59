import { describe, expect, it } from 'vitest';
import { parseTaskManagerMemory } from '../../../lib/tune/task-manager-memory-model.ts';
import { InvalidMemoryConfigurationError } from '../../../lib/tune/tuning-errors.ts';

const MIB = 1024 * 1024;

describe('parseTaskManagerMemory (Flink 1.20 model, docs/algorithm.md §7.1)', () => {
  it('derives every pool from the process size (30 GiB, the vectors baseline)', () => {
    // overhead 0.1f × 30 GiB = 3 GiB → capped at 1 GiB; metaspace 256 MiB
    // total Flink = 30 GiB − 1 GiB − 256 MiB = 30 870 077 440
    // managed = total Flink × 0.4f = 12 348 031 160; network = 0.1f × … → capped 1 GiB
    // task heap = 30 870 077 440 − 128 MiB − 128 MiB − 12 348 031 160 − 1 GiB = 17 179 869 000
    expect(parseTaskManagerMemory({ 'taskmanager.memory.process.size': '30 gb' })).toEqual({
      frameworkHeapBytes: 128 * MIB,
      taskHeapBytes: 17_179_869_000,
      frameworkOffHeapBytes: 128 * MIB,
      taskOffHeapBytes: 0,
      managedBytes: 12_348_031_160,
      networkBytes: 1024 * MIB,
      jvmMetaspaceBytes: 256 * MIB,
      jvmOverheadBytes: 1024 * MIB,
      jvmHeapBytes: 17_314_086_728,
      totalFlinkBytes: 30_870_077_440,
      totalProcessBytes: 30 * 1024 * MIB,
    });
  });

  it('derives the same layout from Flink size as from the equivalent process size (1280m ↔ 1728m)', () => {
    // 1728m: overhead 0.1f × 1728 MiB = 172.8 MiB → min 192 MiB; Flink = 1728 − 256 − 192 = 1280 MiB
    // 1280m: overhead = (1280 + 256) MiB × 0.1f/0.9f = 170.7 MiB → min 192 MiB; process = 1728 MiB
    const fromProcess = parseTaskManagerMemory({ 'taskmanager.memory.process.size': '1728m' });
    const fromFlink = parseTaskManagerMemory({ 'taskmanager.memory.flink.size': '1280m' });
    expect(fromFlink).toEqual(fromProcess);
    // network 1280 MiB × 0.1f = 128 MiB + 2 B; managed × 0.4f = 512 MiB + 8 B; heap the rest
    expect(fromProcess.networkBytes).toBe(128 * MIB + 2);
    expect(fromProcess.managedBytes).toBe(512 * MIB + 8);
    expect(fromProcess.taskHeapBytes).toBe(384 * MIB - 10);
    expect(fromProcess.totalProcessBytes).toBe(1728 * MIB);
  });

  it('derives network by inverse fraction from task heap + managed (fine-grained options)', () => {
    // without network: 128 + 1024 + 128 + 0 + 1024 = 2304 MiB; network = 2304 MiB × 0.1f/(1 − 0.1f)
    // = 256 MiB + 4 B; overhead = (2560 MiB + 4 + 256 MiB) × 0.1f/0.9f = 328 087 785 (in [192 MiB, 1 GiB])
    const spec = parseTaskManagerMemory({
      'taskmanager.memory.task.heap.size': '1g',
      'taskmanager.memory.managed.size': '1g',
    });
    expect(spec.networkBytes).toBe(256 * MIB + 4);
    expect(spec.jvmOverheadBytes).toBe(328_087_785);
    expect(spec.totalProcessBytes).toBe(
      spec.totalFlinkBytes + spec.jvmMetaspaceBytes + spec.jvmOverheadBytes,
    );
  });

  it('makes network the rest of Flink memory when Flink size, task heap and managed are set', () => {
    // 2 GiB − (128 + 1000 + 128 + 0 + 600) MiB = 192 MiB of network (in [64 MiB, 1 GiB])
    const spec = parseTaskManagerMemory({
      'taskmanager.memory.flink.size': '2g',
      'taskmanager.memory.task.heap.size': '1000m',
      'taskmanager.memory.managed.size': '600m',
    });
    expect(spec.networkBytes).toBe(192 * MIB);
  });

  it('reads the deprecated managed size key', () => {
    const spec = parseTaskManagerMemory({
      'taskmanager.memory.process.size': '4g',
      'taskmanager.memory.size': '1g',
    });
    expect(spec.managedBytes).toBe(1024 * MIB);
  });

  it.each<{ name: string; config: Record<string, string>; field: RegExp }>([
    { name: 'nothing set', config: {}, field: /taskmanager.memory.process.size \|/ },
    {
      name: 'process smaller than metaspace + overhead (256 + 192 MiB)',
      config: { 'taskmanager.memory.process.size': '400m' },
      field: /taskmanager.memory.process.size = 400 mb/,
    },
    {
      name: 'managed fraction 1',
      config: { 'taskmanager.memory.process.size': '4g', 'taskmanager.memory.managed.fraction': '1.0' },
      field: /managed.fraction = 1: allowed a fraction ≥ 0 and < 1/,
    },
    {
      name: 'network min above max',
      config: {
        'taskmanager.memory.process.size': '4g',
        'taskmanager.memory.network.min': '512m',
        'taskmanager.memory.network.max': '256m',
      },
      field: /network.min \+ taskmanager.memory.network.max = 512 mb > 256 mb/,
    },
    {
      name: 'task heap + managed larger than Flink size',
      config: {
        'taskmanager.memory.flink.size': '1g',
        'taskmanager.memory.task.heap.size': '1g',
        'taskmanager.memory.managed.size': '1g',
      },
      field: /taskmanager.memory.flink.size = 1 gb/,
    },
    {
      name: 'derived network outside its range',
      config: {
        'taskmanager.memory.flink.size': '4g',
        'taskmanager.memory.task.heap.size': '1g',
        'taskmanager.memory.managed.size': '1g',
      },
      field: /derived network memory/,
    },
  ])('rejects an inconsistent configuration: $name', ({ config, field }) => {
    expect(() => parseTaskManagerMemory(config)).toThrow(InvalidMemoryConfigurationError);
    expect(() => parseTaskManagerMemory(config)).toThrow(field);
  });
});
