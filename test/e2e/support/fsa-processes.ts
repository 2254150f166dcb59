/**
 * The real `fsa` binary as separate processes (`node bin/fsa.js …` with the Node running the
 * tests, which is the project's Node 24), for the real-clock end-to-end tests.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { parse as parseYaml } from 'yaml';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const FSA = join(REPO_ROOT, 'bin', 'fsa.js');

/** What a finished process left. */
export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

function collect(child: ChildProcessWithoutNullStreams, startedMs: number): Promise<ProcessResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - startedMs }),
    );
  });
}

/** Runs `fsa <args>` to its end (killed after `timeoutMs`). */
export async function runFsa(args: readonly string[], timeoutMs = 60_000): Promise<ProcessResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [FSA, ...args], { cwd: REPO_ROOT, timeout: timeoutMs });
  return collect(child, started);
}

/** A long-running `fsa` process (e.g. `fsa run --interval 3s`). */
export interface LongRunningFsa {
  readonly child: ChildProcessWithoutNullStreams;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ProcessResult>;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
}

/** Starts `fsa <args>` in the background. */
export function startFsa(args: readonly string[]): LongRunningFsa {
  const started = performance.now();
  const child = spawn(process.execPath, [FSA, ...args], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<ProcessResult>((resolve) =>
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - started }),
    ),
  );
  return {
    child,
    output: () => ({ stdout, stderr }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The JSON line `fsa sandbox --json` prints. */
export interface SandboxInfo {
  readonly kubernetesUrl: string;
  readonly kubeconfig: string;
  readonly dynamoEndpoint: string;
  readonly table: string;
  readonly statusUrl: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly jobs: readonly string[];
}

/** Starts `fsa sandbox --json …` and waits for its JSON line. */
export async function startSandboxProcess(
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<{ process: LongRunningFsa; info: SandboxInfo }> {
  const sandbox = startFsa(['sandbox', '--json', ...args]);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout, stderr } = sandbox.output();
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    if (line) return { process: sandbox, info: JSON.parse(line) as SandboxInfo };
    if (sandbox.child.exitCode !== null)
      throw new Error(`fsa sandbox exited with ${sandbox.child.exitCode}: ${stderr}`);
    await sleep(200);
  }
  const result = await sandbox.stop('SIGKILL');
  throw new Error(`fsa sandbox printed no JSON line within ${timeoutMs} ms: ${result.stderr}`);
}

/** One job in `GET /sandbox`. */
export interface SandboxJobStatus {
  readonly name: string;
  readonly jobKey: string;
  readonly parallelism: Record<string, number>;
  readonly oracle: Record<string, number>;
  readonly rescales: number;
  readonly simulatorState: string;
}

export async function sandboxStatus(info: SandboxInfo): Promise<Map<string, SandboxJobStatus>> {
  const response = await request(info.statusUrl);
  const body = (await response.body.json()) as { jobs: SandboxJobStatus[] };
  return new Map(body.jobs.map((j) => [j.name, j]));
}

/** Whether every vertex's parallelism is within [1, maxRatio] × the oracle. */
export function withinOracle(job: SandboxJobStatus, maxRatio = 1.15): boolean {
  return Object.entries(job.oracle).every(([vertex, oracle]) => {
    const ratio = (job.parallelism[vertex] ?? 0) / oracle;
    return ratio >= 1 && ratio <= maxRatio;
  });
}

/**
 * A JSON merge patch on a FlinkDeployment through the sandbox's Kubernetes API, with the
 * kubeconfig's bearer token and CA (what kubectl does, without needing kubectl).
 */
export async function mergePatchFlinkDeployment(info: SandboxInfo, name: string, patch: unknown): Promise<void> {
  const kubeconfig = parseYaml(await readFile(info.kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data'?: string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = kubeconfig.clusters[0]!.cluster;
  const ca = cluster['certificate-authority-data'];
  const dispatcher = new Agent({ connect: ca ? { ca: Buffer.from(ca, 'base64').toString('utf8') } : {} });
  try {
    const response = await request(
      `${cluster.server}/apis/flink.apache.org/v1beta1/namespaces/${info.namespace}/flinkdeployments/${name}`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${kubeconfig.users[0]!.user.token}`,
          'content-type': 'application/merge-patch+json',
        },
        body: JSON.stringify(patch),
        dispatcher,
      },
    );
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`PATCH ${name}: ${response.statusCode} ${text}`);
  } finally {
    await dispatcher.close();
  }
}

/** Whether the `openssl` CLI is there (the sandbox's HTTPS certificate; else `--plain-http`). */
export function opensslAvailable(): boolean {
  const probe = spawnSync('openssl', ['version'], { stdio: 'ignore', timeout: 20_000 });
  return probe.error === undefined && probe.status === 0;
}

/** Whether a `kubectl` binary is on the PATH. */
export function kubectlAvailable(): boolean {
  const probe = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 20_000 });
  return probe.error === undefined && probe.status === 0;
}

/** Runs `kubectl --kubeconfig <file> <args>`. */
export async function runKubectl(kubeconfig: string, args: readonly string[]): Promise<ProcessResult> {
  const started = performance.now();
  const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], { cwd: REPO_ROOT, timeout: 30_000 });
  return collect(child, started);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
