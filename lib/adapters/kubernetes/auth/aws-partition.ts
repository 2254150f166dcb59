import { InvalidKubernetesInputError } from '../kubernetes-errors.ts';

/** An AWS partition: the set of regions that share one DNS suffix and one IAM namespace. */
export interface AwsPartition {
  /** Partition id as in ARNs: `aws`, `aws-cn`, `aws-us-gov`, … */
  readonly id: string;
  /** DNS suffix of the partition's regional service endpoints (`amazonaws.com.cn` in China). */
  readonly dnsSuffix: string;
}

/**
 * The partitions with their region patterns and DNS suffixes, as the AWS SDK for JavaScript v3
 * resolves endpoints (`@aws-sdk/core` 3.981, `util-endpoints/lib/aws/partitions.js`, the same data
 * as the SDKs' shared `partitions.json`). The first pattern that matches wins, in this order.
 * GovCloud keeps `amazonaws.com` (STS: `sts.us-gov-west-1.amazonaws.com`); China uses
 * `amazonaws.com.cn` (`sts.cn-north-1.amazonaws.com.cn`).
 */
const PARTITIONS: readonly (AwsPartition & { readonly regionPattern: RegExp })[] = [
  { id: 'aws', dnsSuffix: 'amazonaws.com', regionPattern: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/ },
  { id: 'aws-cn', dnsSuffix: 'amazonaws.com.cn', regionPattern: /^cn-\w+-\d+$/ },
  { id: 'aws-eusc', dnsSuffix: 'amazonaws.eu', regionPattern: /^eusc-de-\w+-\d+$/ },
  { id: 'aws-iso', dnsSuffix: 'c2s.ic.gov', regionPattern: /^us-iso-\w+-\d+$/ },
  { id: 'aws-iso-b', dnsSuffix: 'sc2s.sgov.gov', regionPattern: /^us-isob-\w+-\d+$/ },
  { id: 'aws-iso-e', dnsSuffix: 'cloud.adc-e.uk', regionPattern: /^eu-isoe-\w+-\d+$/ },
  { id: 'aws-iso-f', dnsSuffix: 'csp.hci.ic.gov', regionPattern: /^us-isof-\w+-\d+$/ },
  { id: 'aws-us-gov', dnsSuffix: 'amazonaws.com', regionPattern: /^us-gov-\w+-\d+$/ },
];

/** The partition of a region; an error naming the region when it belongs to none. */
export function partitionOfRegion(region: string): AwsPartition {
  const match = PARTITIONS.find((p) => p.regionPattern.test(region));
  if (!match) {
    throw new InvalidKubernetesInputError(
      'region',
      `'${region}' is not an AWS region such as eu-west-1, cn-north-1 or us-gov-west-1`,
    );
  }
  return { id: match.id, dnsSuffix: match.dnsSuffix };
}

/**
 * Host of the regional STS endpoint an EKS token is presigned for: `sts.<region>.<dnsSuffix>`.
 * EKS (aws-iam-authenticator) accepts only STS hosts of its own partition, so a China or ISO
 * cluster rejects a token signed for `…amazonaws.com`.
 */
export function regionalStsHostname(region: string): string {
  return `sts.${region}.${partitionOfRegion(region).dnsSuffix}`;
}
