import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { FlinkRestClient } from '../../lib/adapters/flink-rest/flink-rest-client.ts';
import { recordRestResponses } from '../../lib/adapters/flink-rest/record-rest-responses.ts';

function parseRestUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`'${value}' is not a URL (expected e.g. http://localhost:8081).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`'${value}' must use http or https.`);
  }
  return value.replace(/\/+$/, '');
}

function parseJobId(value: string): string {
  if (!/^[0-9a-fA-F]{32}$/.test(value)) {
    throw new InvalidArgumentError(`'${value}' is not a Flink job id (32 hex characters).`);
  }
  return value.toLowerCase();
}

function parseTimeoutMs(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new InvalidArgumentError(`'${value}' is not a positive number of milliseconds.`);
  }
  return parsed;
}

function collectHeader(value: string, previous: Record<string, string>): Record<string, string> {
  const separator = value.indexOf(':');
  if (separator <= 0) throw new InvalidArgumentError(`'${value}' is not a header of the form 'Name: value'.`);
  return { ...previous, [value.slice(0, separator).trim().toLowerCase()]: value.slice(separator + 1).trim() };
}

/**
 * `fsa record`: saves the raw Flink REST responses the collector reads as fixture files
 * (one JSON file per call plus `index.json`).
 */
export function registerRecordCommand(program: Command): void {
  program
    .command('record')
    .description(
      'Save the raw Flink REST API responses of a job as fixture files (one JSON file per call + index.json)',
    )
    .requiredOption(
      '--rest-url <url>',
      'base URL of the Flink REST API, e.g. http://localhost:8081 or a Kubernetes service-proxy URL',
      parseRestUrl,
    )
    .option('--job <id>', 'Flink job id (32 hex); default: the RUNNING job of the cluster', parseJobId)
    .requiredOption('--out <dir>', 'directory to write the fixture files to (created if missing)')
    .option('--timeout <ms>', 'timeout of each REST call in milliseconds', parseTimeoutMs, 10_000)
    .option(
      '--header <name:value>',
      "extra request header, repeatable (e.g. 'Authorization: Bearer <token>' for the service proxy)",
      collectHeader,
      {},
    )
    .action(
      async (opts: {
        restUrl: string;
        job?: string;
        out: string;
        timeout: number;
        header: Record<string, string>;
      }) => {
        const client = new FlinkRestClient();
        try {
          const outDir = resolve(opts.out);
          const result = await recordRestResponses({
            client,
            target: {
              restBaseUrl: opts.restUrl,
              ...(opts.job ? { jobId: opts.job } : {}),
              ...(Object.keys(opts.header).length > 0 ? { headers: opts.header } : {}),
            },
            outDir,
            timeoutMs: opts.timeout,
          });
          const saved = result.responses.filter((response) => response.file).length;
          const failed = result.responses.length - saved;
          console.log(
            `Recorded ${saved} responses of job ${result.jobId} to ${outDir}${failed > 0 ? ` (${failed} calls failed, see index.json)` : ''}`,
          );
        } finally {
          await client.close();
        }
      },
    );
}
