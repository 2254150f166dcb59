import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BearerTokenProvider } from './eks-token.ts';
import { InvalidKubernetesInputError } from '../kubernetes-errors.ts';

export type { BearerTokenProvider } from './eks-token.ts';

/** A fixed token (a kubeconfig `token`, a test). */
export class StaticTokenProvider implements BearerTokenProvider {
  readonly #token: string;
  constructor(token: string) {
    if (token.trim() === '') throw new InvalidKubernetesInputError('token', 'must not be empty');
    this.#token = token;
  }
  async getToken(): Promise<string> {
    return this.#token;
  }
  invalidate(): void {
    /* nothing to refresh */
  }
}

/** A kubeconfig `users[].user.exec` entry (client-go credential plugin). */
export interface ExecCredentialConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: ReadonlyArray<{ name: string; value: string }>;
  readonly apiVersion?: string;
}

const execFileAsync = promisify(execFile);

/**
 * Runs a credential plugin such as `aws eks get-token` and caches its `ExecCredential` token until
 * one minute before `status.expirationTimestamp` (or 5 minutes when it gives none). The plugin
 * is run directly, never through a shell.
 */
export class ExecTokenProvider implements BearerTokenProvider {
  readonly #config: ExecCredentialConfig;
  readonly #nowMs: () => number;
  #cached: { token: string; refreshAtMs: number } | undefined;

  constructor(config: ExecCredentialConfig, options: { nowMs?: () => number } = {}) {
    this.#config = config;
    this.#nowMs = options.nowMs ?? Date.now;
  }

  async getToken(): Promise<string> {
    const now = this.#nowMs();
    if (this.#cached && now < this.#cached.refreshAtMs) return this.#cached.token;
    const env = { ...process.env };
    for (const { name, value } of this.#config.env ?? []) env[name] = value;
    env['KUBERNETES_EXEC_INFO'] = JSON.stringify({
      apiVersion: this.#config.apiVersion ?? 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    let stdout: string;
    try {
      ({ stdout } = await execFileAsync(this.#config.command, [...(this.#config.args ?? [])], {
        env,
        timeout: 30_000,
      }));
    } catch (error) {
      throw new InvalidKubernetesInputError(
        'user.exec',
        `credential plugin '${this.#config.command}' failed`,
        { cause: error },
      );
    }
    let token: unknown;
    let expiration: unknown;
    try {
      const credential = JSON.parse(stdout) as {
        status?: { token?: unknown; expirationTimestamp?: unknown };
      };
      token = credential.status?.token;
      expiration = credential.status?.expirationTimestamp;
    } catch (error) {
      throw new InvalidKubernetesInputError(
        'user.exec',
        `credential plugin '${this.#config.command}' did not print an ExecCredential`,
        { cause: error },
      );
    }
    if (typeof token !== 'string' || token === '') {
      throw new InvalidKubernetesInputError(
        'user.exec',
        `credential plugin '${this.#config.command}' returned no status.token`,
      );
    }
    const expiresAt = typeof expiration === 'string' ? Date.parse(expiration) : Number.NaN;
    const refreshAtMs = Number.isNaN(expiresAt) ? now + 5 * 60_000 : expiresAt - 60_000;
    this.#cached = { token, refreshAtMs };
    return token;
  }

  invalidate(): void {
    this.#cached = undefined;
  }
}
