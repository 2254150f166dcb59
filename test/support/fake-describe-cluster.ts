/**
 * A stand-in for the EKS DescribeCluster endpoint (an AWS endpoint, outside our control; the
 * response shape is the EKS API reference's `Cluster`): every call is answered with an ACTIVE
 * cluster of the asked name at `endpoint`, trusting `caPem`, plus whatever `cluster` adds or
 * overrides. The names asked for are recorded in `calls`.
 */
import type { Cluster, DescribeClusterCommand, DescribeClusterCommandOutput } from '@aws-sdk/client-eks';

export interface FakeDescribeCluster {
  /** The cluster names asked for, in order. */
  readonly calls: string[];
  send(command: DescribeClusterCommand): Promise<DescribeClusterCommandOutput>;
}

export function fakeDescribeCluster(endpoint: string, caPem: string, cluster: Partial<Cluster> = {}): FakeDescribeCluster {
  const calls: string[] = [];
  return {
    calls,
    async send(command) {
      calls.push(command.input.name ?? '');
      return {
        $metadata: {},
        cluster: {
          name: command.input.name,
          status: 'ACTIVE',
          endpoint,
          certificateAuthority: { data: Buffer.from(caPem).toString('base64') },
          ...cluster,
        },
      };
    },
  };
}
