/**
 * What a packet says about its connection (protocol and destination port, as NetworkPolicy
 * ports see them) and which pod a host-side interface belongs to (cali…, eni…, lxc…).
 */
import type { Cluster, PodRec } from '../model/cluster';
import type { PacketRepr } from '../model/packet';
import { isPolicyPod } from './policyIndex';
import type { ConnProtocol } from './types';

export function connOf(p: PacketRepr): { proto: ConnProtocol; port?: number } {
  const l4 = p.l4;
  if (l4.proto === 'icmp') return { proto: 'ICMP' };
  return { proto: l4.proto === 'tcp' ? 'TCP' : 'UDP', port: l4.dstPort };
}

const podsByHostIf = new WeakMap<Cluster, Map<string, PodRec>>();

/** The pod behind a host-side interface on a node (cali…, eni…). */
export function podOfHostIf(cluster: Cluster, node: string | undefined, ifname: string): PodRec | undefined {
  let m = podsByHostIf.get(cluster);
  if (!m) {
    m = new Map();
    for (const p of cluster.pods.values()) if (isPolicyPod(p)) m.set(`${p.nodeName}|${p.attachment!.hostIfname}`, p);
    podsByHostIf.set(cluster, m);
  }
  return m.get(`${node ?? ''}|${ifname}`);
}

