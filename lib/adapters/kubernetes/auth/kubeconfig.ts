import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { KubernetesClient, type KubernetesClientOptions } from '../kubernetes-client.ts';
import { InvalidKubernetesInputError } from '../kubernetes-errors.ts';
import {
  type BearerTokenProvider,
  type ExecCredentialConfig,
  ExecTokenProvider,
  StaticTokenProvider,
} from './token-providers.ts';

/** Connection settings resolved from a kubeconfig context. */
export interface KubeconfigConnection {
  readonly contextName: string;
  readonly server: string;
  readonly caPem?: string;
  readonly token?: BearerTokenProvider;
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string };
  /** The context's default namespace, when set. */
  readonly namespace?: string;
}

interface NamedEntry<T> {
  name?: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

type Obj = Record<string, unknown>;

function asObject(value: unknown, field: string): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidKubernetesInputError(field, 'must be a mapping');
  }
  return value as Obj;
}

function findNamed(list: unknown, name: string, kind: 'cluster' | 'user' | 'context', field: string): Obj {
  const entries = Array.isArray(list) ? (list as NamedEntry<Obj>[]) : [];
  const index = entries.findIndex((e) => e?.name === name);
  const entry = entries[index];
  if (!entry) throw new InvalidKubernetesInputError(field, `no ${kind} named '${name}'`);
  return asObject(entry[kind] ?? {}, `${field}[${index}].${kind}`);
}

function optionalString(object: Obj, key: string, field: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidKubernetesInputError(`${field}.${key}`, 'must be a string');
  return value;
}

/**
 * Resolves a kubeconfig (YAML text) to a connection: server, CA, and one credential (token,
 * token file, exec plugin such as `aws eks get-token`, or a client certificate). Relative file
 * paths are resolved against `baseDir` as kubectl does. `insecure-skip-tls-verify` is refused:
 * TLS is always verified.
 */
export async function resolveKubeconfig(
  text: string,
  options: { context?: string; baseDir?: string } = {},
): Promise<KubeconfigConnection> {
  let doc: Obj;
  try {
    doc = asObject(parse(text), 'kubeconfig');
  } catch (error) {
    if (error instanceof InvalidKubernetesInputError) throw error;
    throw new InvalidKubernetesInputError('kubeconfig', 'is not valid YAML', { cause: error });
  }
  const baseDir = options.baseDir ?? process.cwd();
  const readPath = async (path: string, field: string) => {
    try {
      return await readFile(isAbsolute(path) ? path : resolve(baseDir, path), 'utf8');
    } catch (error) {
      throw new InvalidKubernetesInputError(field, `cannot read '${path}'`, { cause: error });
    }
  };
  const contextName =
    options.context ?? (typeof doc['current-context'] === 'string' ? doc['current-context'] : undefined);
  if (!contextName)
    throw new InvalidKubernetesInputError(
      'kubeconfig.current-context',
      'is not set and no context was given',
    );
  const context = findNamed(doc['contexts'], contextName, 'context', 'kubeconfig.contexts');
  const clusterName = optionalString(context, 'cluster', 'context');
  const userName = optionalString(context, 'user', 'context');
  if (!clusterName)
    throw new InvalidKubernetesInputError(`kubeconfig context '${contextName}'`, 'names no cluster');
  const cluster = findNamed(doc['clusters'], clusterName, 'cluster', 'kubeconfig.clusters');
  const server = optionalString(cluster, 'server', 'cluster');
  if (!server) throw new InvalidKubernetesInputError(`kubeconfig cluster '${clusterName}'`, 'has no server');
  if (cluster['insecure-skip-tls-verify'] === true) {
    throw new InvalidKubernetesInputError(
      `kubeconfig cluster '${clusterName}'`,
      'insecure-skip-tls-verify is not supported: provide certificate-authority(-data)',
    );
  }
  const caData = optionalString(cluster, 'certificate-authority-data', 'cluster');
  const caFile = optionalString(cluster, 'certificate-authority', 'cluster');
  const caPem = caData
    ? Buffer.from(caData, 'base64').toString('utf8')
    : caFile
      ? await readPath(caFile, 'cluster.certificate-authority')
      : undefined;

  let token: BearerTokenProvider | undefined;
  let clientCertificate: KubeconfigConnection['clientCertificate'];
  if (userName) {
    const user = findNamed(doc['users'], userName, 'user', 'kubeconfig.users');
    const field = `kubeconfig user '${userName}'`;
    const tokenText = optionalString(user, 'token', field);
    const tokenFile = optionalString(user, 'tokenFile', field);
    if (tokenText) token = new StaticTokenProvider(tokenText);
    else if (tokenFile)
      token = new StaticTokenProvider((await readPath(tokenFile, `${field}.tokenFile`)).trim());
    else if (user['exec'] !== undefined)
      token = new ExecTokenProvider(parseExec(asObject(user['exec'], `${field}.exec`), field));
    const certData = optionalString(user, 'client-certificate-data', field);
    const keyData = optionalString(user, 'client-key-data', field);
    const certFile = optionalString(user, 'client-certificate', field);
    const keyFile = optionalString(user, 'client-key', field);
    if ((certData || certFile) && (keyData || keyFile)) {
      clientCertificate = {
        certPem: certData
          ? Buffer.from(certData, 'base64').toString('utf8')
          : await readPath(certFile ?? '', `${field}.client-certificate`),
        keyPem: keyData
          ? Buffer.from(keyData, 'base64').toString('utf8')
          : await readPath(keyFile ?? '', `${field}.client-key`),
      };
    }
  }
  const namespace = optionalString(context, 'namespace', 'context');
  return {
    contextName,
    server,
    ...(caPem ? { caPem } : {}),
    ...(token ? { token } : {}),
    ...(clientCertificate ? { clientCertificate } : {}),
    ...(namespace ? { namespace } : {}),
  };
}

function parseExec(exec: Obj, field: string): ExecCredentialConfig {
  const command = optionalString(exec, 'command', `${field}.exec`);
  if (!command) throw new InvalidKubernetesInputError(`${field}.exec.command`, 'is required');
  const args = exec['args'];
  if (args !== undefined && !(Array.isArray(args) && args.every((a) => typeof a === 'string'))) {
    throw new InvalidKubernetesInputError(`${field}.exec.args`, 'must be a list of strings');
  }
  const env = exec['env'];
  const envList = Array.isArray(env)
    ? env.map((e, i) => {
        const entry = asObject(e, `${field}.exec.env[${i}]`);
        return { name: String(entry['name']), value: String(entry['value']) };
      })
    : [];
  const apiVersion = optionalString(exec, 'apiVersion', `${field}.exec`);
  return {
    command,
    args: (args as string[] | undefined) ?? [],
    env: envList,
    ...(apiVersion ? { apiVersion } : {}),
  };
}

/** Reads a kubeconfig file and builds a client for its (current or given) context. */
export async function kubernetesClientFromKubeconfig(
  path: string,
  options: { context?: string } & Omit<
    KubernetesClientOptions,
    'baseUrl' | 'caPem' | 'token' | 'clientCertificate'
  > = {},
): Promise<{ client: KubernetesClient; connection: KubeconfigConnection }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidKubernetesInputError('kubeconfig', `cannot read '${path}'`, { cause: error });
  }
  const { context, ...clientOptions } = options;
  const connection = await resolveKubeconfig(text, {
    ...(context ? { context } : {}),
    baseDir: dirname(path),
  });
  const client = new KubernetesClient({
    ...clientOptions,
    baseUrl: connection.server,
    ...(connection.caPem ? { caPem: connection.caPem } : {}),
    ...(connection.token ? { token: connection.token } : {}),
    ...(connection.clientCertificate ? { clientCertificate: connection.clientCertificate } : {}),
  });
  return { client, connection };
}
