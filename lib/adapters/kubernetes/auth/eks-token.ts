import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { InvalidKubernetesInputError } from '../kubernetes-errors.ts';
import { regionalStsHostname } from './aws-partition.ts';

/** Prefix aws-iam-authenticator requires (docs/kubernetes-and-eks.md §2). */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** STS ignores `X-Amz-Expires` for this call; 60 s is what every client sends (docs/kubernetes-and-eks.md §2). */
export const EKS_TOKEN_PRESIGN_EXPIRES_SECONDS = 60;
/** EKS accepts a token for 15 minutes after `X-Amz-Date`. */
export const EKS_TOKEN_VALIDITY_MS = 15 * 60_000;
/**
 * Age after which the cache builds a new token. aws-iam-authenticator and `aws eks get-token`
 * report expiry at 14 min; one more minute of margin covers clock skew and a slow request.
 */
export const EKS_TOKEN_REFRESH_AFTER_MS = 13 * 60_000;

/** Static AWS credentials (the shape every AWS SDK v3 credential provider resolves to). */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** A credential provider such as `fromNodeProviderChain()` (it caches and refreshes itself). */
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;

/** Header that binds the token to one cluster; it must be signed, never hoisted to the query. */
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

/** A token and the URL it encodes (the URL is useful for debugging and for the known-answer test). */
export interface EksToken {
  /** `k8s-aws-v1.` + base64url (no padding) of {@link presignedUrl}. */
  readonly token: string;
  readonly presignedUrl: string;
  /** Epoch ms of the signing time. */
  readonly signedAtMs: number;
  /** Epoch ms when EKS stops accepting it (signing time + 15 min). */
  readonly expiresAtMs: number;
}

/** Input of one presigned EKS bearer token. */
export interface CreateEksTokenInput {
  /** EKS cluster name: signed as `x-k8s-aws-id`, so the token only works for that cluster. */
  readonly clusterName: string;
  /**
   * Region of the regional STS endpoint that is signed for: `sts.<region>.<partition DNS suffix>`
   * (`amazonaws.com`, `amazonaws.com.cn` in China, see {@link regionalStsHostname}).
   */
  readonly region: string;
  /** Credentials to sign with; a provider so the default chain can refresh them. */
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Signing time (epoch ms); the current time when absent. */
  readonly signingTimeMs?: number;
}

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/**
 * Builds the EKS bearer token: a SigV4-presigned STS `GetCallerIdentity` GET URL with the signed
 * header `x-k8s-aws-id: <cluster>`, base64url-encoded without padding (docs/kubernetes-and-eks.md §2).
 * No network call is made.
 */
export async function createEksToken(input: CreateEksTokenInput): Promise<EksToken> {
  if (!CLUSTER_NAME.test(input.clusterName)) {
    throw new InvalidKubernetesInputError(
      'clusterName',
      `'${input.clusterName}' is not a valid EKS cluster name`,
    );
  }
  // Throws an InvalidKubernetesInputError naming the region when it is in no known partition.
  const hostname = regionalStsHostname(input.region);
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: 'sts',
    sha256: Sha256,
    // STS paths are '/', nothing to double-escape; keep the SigV4 default for non-S3 services.
    uriEscapePath: true,
  });
  const signedAtMs = input.signingTimeMs ?? Date.now();
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, [CLUSTER_ID_HEADER]: input.clusterName },
    },
    { expiresIn: EKS_TOKEN_PRESIGN_EXPIRES_SECONDS, signingDate: new Date(signedAtMs) },
  );
  const presignedUrl = `https://${hostname}/?${serializeQuery(presigned.query ?? {})}`;
  return {
    token: EKS_TOKEN_PREFIX + Buffer.from(presignedUrl, 'utf8').toString('base64url'),
    presignedUrl,
    signedAtMs,
    expiresAtMs: signedAtMs + EKS_TOKEN_VALIDITY_MS,
  };
}

/** RFC 3986 query encoding, the same escaping SigV4 uses in the canonical query. */
function serializeQuery(query: Record<string, string | string[] | null>): string {
  return Object.keys(query)
    .sort()
    .flatMap((key) => {
      const value = query[key];
      const values = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
      return values.map((v) => `${rfc3986(key)}=${rfc3986(v)}`);
    })
    .join('&');
}

function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Supplies a bearer token for Kubernetes calls; `invalidate` after a 401 forces a new one. */
export interface BearerTokenProvider {
  getToken(): Promise<string>;
  /** Forget the cached token (called once after a 401, docs/kubernetes-and-eks.md §1 step 4). */
  invalidate(): void;
}

/** Options of the caching EKS token provider. */
export interface EksTokenProviderOptions {
  readonly clusterName: string;
  readonly region: string;
  /** Injected credentials; the AWS default Node chain when absent (production). */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Clock in epoch ms (tests pass a fixed one). */
  readonly nowMs?: () => number;
  /** Age after which a new token is built; default {@link EKS_TOKEN_REFRESH_AFTER_MS}. */
  readonly refreshAfterMs?: number;
}

/**
 * Caches the EKS token and builds a new one before it expires. Concurrent callers share one
 * in-flight build.
 */
export class EksTokenProvider implements BearerTokenProvider {
  readonly #options: EksTokenProviderOptions;
  #cached: EksToken | undefined;
  #pending: Promise<EksToken> | undefined;
  #credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;

  constructor(options: EksTokenProviderOptions) {
    const refreshAfterMs = options.refreshAfterMs ?? EKS_TOKEN_REFRESH_AFTER_MS;
    if (!(refreshAfterMs > 0 && refreshAfterMs < EKS_TOKEN_VALIDITY_MS)) {
      throw new InvalidKubernetesInputError(
        'refreshAfterMs',
        `must be between 0 and ${EKS_TOKEN_VALIDITY_MS} ms`,
      );
    }
    this.#options = { ...options, refreshAfterMs };
    this.#credentials = options.credentials;
  }

  async getToken(): Promise<string> {
    return (await this.getEksToken()).token;
  }

  /** The cached token with its URL and expiry, building a new one when it is too old. */
  async getEksToken(): Promise<EksToken> {
    const now = (this.#options.nowMs ?? Date.now)();
    const cached = this.#cached;
    if (cached && now - cached.signedAtMs < (this.#options.refreshAfterMs ?? EKS_TOKEN_REFRESH_AFTER_MS)) {
      return cached;
    }
    if (!this.#pending) {
      this.#pending = (async () => {
        try {
          this.#credentials ??= await defaultCredentialChain();
          const credentials = this.#credentials;
          const token = await createEksToken({
            clusterName: this.#options.clusterName,
            region: this.#options.region,
            credentials,
            signingTimeMs: now,
          });
          this.#cached = token;
          return token;
        } finally {
          this.#pending = undefined;
        }
      })();
    }
    return this.#pending;
  }

  invalidate(): void {
    this.#cached = undefined;
  }
}

/** Loaded lazily so a Lambda that never talks to EKS does not pay for the chain at init. */
async function defaultCredentialChain(): Promise<AwsCredentialIdentityProvider> {
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
  return defaultProvider();
}
