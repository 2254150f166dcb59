import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerRecordCommand } from '../../../bin/commands/record.ts';
import { parseJobDetails, parseMetricIdList } from '../../../lib/adapters/flink-rest/index.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../../../sim/flink-simulator/index.ts';

let sim: FlinkSimulator;
let outDir: string;
let errors: string[];

function program(): Command {
  const root = new Command().exitOverride().configureOutput({
    writeErr: (text) => errors.push(text),
    writeOut: () => {},
  });
  registerRecordCommand(root);
  for (const command of root.commands)
    command.exitOverride().configureOutput({ writeErr: (text) => errors.push(text) });
  return root;
}

beforeEach(async () => {
  errors = [];
  outDir = await mkdtemp(join(tmpdir(), 'fsa-record-'));
  sim = await startFlinkSimulator({
    scenario: {
      name: 'record',
      flinkVersion: '1.18.1',
      job: {
        vertices: [
          {
            id: 'src',
            parallelism: 2,
            costMsPerRecord: 0.5,
            source: { partitions: 4, load: { type: 'constant', recordsPerSecond: 500 } },
          },
          { id: 'sink', name: 'Sink: out', parallelism: 1, costMsPerRecord: 0.5 },
        ],
        edges: [{ from: 'src', to: 'sink' }],
      },
    },
  });
  sim.advance(30_000);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await sim.close();
  await rm(outDir, { recursive: true, force: true });
});

describe('fsa record', () => {
  it('saves the responses of the running job with an index, 404s recorded but not fatal', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await program().parseAsync(['node', 'fsa', 'record', '--rest-url', sim.url, '--out', outDir]);
    const files = await readdir(outDir);
    expect(files).toContain('index.json');
    expect(files).toContain('jobs-jobid.json');
    const before = Date.now();
    const index = JSON.parse(await readFile(join(outDir, 'index.json'), 'utf8'));
    expect(index.jobId).toBe(sim.jobId);
    // The capture's own time (wall clock at the start of the recording), for fsa replay.
    expect(index.capturedAtMs).toBeLessThanOrEqual(before);
    expect(index.capturedAtMs).toBeGreaterThan(before - 60_000);
    expect(index.capturedAt).toBe(new Date(index.capturedAtMs).toISOString());
    // 1.18 has no per-job configuration endpoint.
    expect(
      index.responses.find(
        (r: { path: string }) => r.path.endsWith('/jobmanager/config') && r.path.startsWith('/jobs'),
      )?.status,
    ).toBe(404);
    const details = parseJobDetails(JSON.parse(await readFile(join(outDir, 'jobs-jobid.json'), 'utf8')));
    expect(details.vertices).toHaveLength(2);
    const listingFile = files.find(
      (file) => file.startsWith('vertex-0-') && file.endsWith('subtasks-metrics.json'),
    )!;
    const listing = parseMetricIdList(
      JSON.parse(await readFile(join(outDir, listingFile), 'utf8')),
      listingFile,
    );
    expect(listing).toContain('Source__src.pendingRecords');
    expect(files.filter((file) => file.endsWith('-get.json')).length).toBeGreaterThanOrEqual(4);
    expect(log.mock.calls[0]?.[0]).toMatch(/^Recorded \d+ responses of job [0-9a-f]{32}/);
  });

  it.each([
    [['--rest-url', 'not a url', '--out', '/tmp/x'], /not a URL/],
    [['--rest-url', 'ftp://x', '--out', '/tmp/x'], /must use http or https/],
    [['--rest-url', 'http://127.0.0.1:1', '--out', '/tmp/x', '--job', 'abc'], /not a Flink job id/],
    [
      ['--rest-url', 'http://127.0.0.1:1', '--out', '/tmp/x', '--timeout', '-5'],
      /positive number of milliseconds/,
    ],
    [['--rest-url', 'http://127.0.0.1:1', '--out', '/tmp/x', '--header', 'nocolon'], /Name: value/],
    [['--out', '/tmp/x'], /required option '--rest-url <url>' not specified/],
  ])('rejects bad options %j', async (args, message) => {
    await expect(program().parseAsync(['node', 'fsa', 'record', ...args])).rejects.toBeInstanceOf(
      CommanderError,
    );
    expect(errors.join('')).toMatch(message);
  });

  it('fails clearly for an unknown job id', async () => {
    await expect(
      program().parseAsync([
        'node',
        'fsa',
        'record',
        '--rest-url',
        sim.url,
        '--out',
        outDir,
        '--job',
        'f'.repeat(32),
      ]),
    ).rejects.toThrow(/Flink job f{32} not found/);
  });

  it('documents every option in --help', () => {
    const help = program().commands[0]!.helpInformation();
    for (const option of [
      '--rest-url <url>',
      '--job <id>',
      '--out <dir>',
      '--timeout <ms>',
      '--header <name:value>',
    ]) {
      expect(help).toContain(option);
    }
  });
});
