/**
 * Test support for the tracer: a two-node cluster per CNI mode, built by hand (no scenario
 * loader, no IPAM), with pods a and b on node-1 and c on node-2. Used only by tests.
 */
import { cidr, handCluster, ip4 } from '../cni/handCluster';
import type { Cluster, CniMode } from '../model/cluster';

export const POD_IPS: Record<'flat' | 'calico' | 'weave' | 'aws', [string, string, string]> = {
  flat: ['10.244.1.2', '10.244.1.3', '10.244.2.2'],
  calico: ['10.244.1.2', '10.244.1.3', '10.244.2.2'],
  weave: ['10.32.0.2', '10.32.0.3', '10.44.0.2'],
  aws: ['192.168.1.101', '192.168.1.102', '192.168.1.201'],
};

export function podIps(mode: CniMode): [string, string, string] {
  return mode.startsWith('calico') ? POD_IPS.calico : mode === 'weave' ? POD_IPS.weave : mode === 'aws-vpc' || mode === 'azure-cni' ? POD_IPS.aws : POD_IPS.flat;
}

/** node-1 192.168.1.11 (pods a, b), node-2 192.168.1.12 (pod c); ranges 10.244.<n>.0/24 (Calico /26 blocks), weave 10.32.0.0/12. */
export function twoNodeCluster(mode: CniMode, opts: { wireguard?: boolean; nodeMtu?: number } = {}): Cluster {
  const calico = mode.startsWith('calico');
  const nodes = [1, 2].map((i) => ({
    name: `node-${i}`,
    ip: `192.168.1.1${i}`,
    ...(mode.startsWith('flannel') || mode.startsWith('cilium') || mode.startsWith('gke') || mode === 'azure-cni-overlay' ? { podCIDR: `10.244.${i}.0/24` } : {}),
    extra: calico
      ? { blocks: [cidr(`10.244.${i}.0/26`)] }
      : mode === 'weave'
        ? { bridgeIp: ip4(i === 1 ? '10.32.0.1' : '10.44.0.0') }
        : mode === 'azure-cni'
          ? { secondaryIps: (i === 1 ? POD_IPS.aws.slice(0, 2) : POD_IPS.aws.slice(2)).map(ip4) }
          : {},
  }));
  const ips = podIps(mode);
  return handCluster(
    mode,
    nodes,
    [
      { name: 'a', node: 'node-1', ip: ips[0], hostIfindex: 5, endpointId: 11 },
      { name: 'b', node: 'node-1', ip: ips[1], hostIfindex: 6, endpointId: 12 },
      { name: 'c', node: 'node-2', ip: ips[2], hostIfindex: 5, endpointId: 13 },
    ],
    { wireguard: !!opts.wireguard, nodeMtu: opts.nodeMtu ?? 1500, ...(calico ? { podCIDR: cidr('10.244.0.0/16') } : {}) },
  );
}
