/**
 * What kube-proxy and the node's administrator change in a node's namespace after the CNI built
 * it (called from cni/network.ts once per built node namespace):
 * - IPVS mode: the `kube-ipvs0` dummy device (BROADCAST,NOARP, state DOWN, qdisc noop) holding
 *   every ClusterIP, external IP and load balancer IP as a /32 (proxier.go ensureDummyDevice);
 * - iptables mode: `net.ipv4.conf.all.route_localnet=1`, which kube-proxy sets so that NodePorts
 *   answer on 127.0.0.0/8 (iptables.localhostNodePorts, default true; proxier.go NewProxier
 *   "Setting route_localnet=1 to allow node-ports on localhost"); the kernel default 0 otherwise;
 * - per-node overrides the shell set with `sysctl -w` (cluster.nodeSysctls): sysctl keys, and
 *   `/sys/class/net/DEV/brport/hairpin_mode` for a bridge port's hairpin flag.
 */
import type { Cluster, NodeRec } from '../model/cluster';
import type { Netns } from '../model/netns';
import { servicesOf } from '../services/table';
import { macFor } from '../addressing/mac';
import { servicePorts } from './endpoints';
import { ipvsBoundIps } from './kubeIpvs0';

const HAIRPIN = /^\/sys\/class\/net\/([^/]+)\/brport\/hairpin_mode$/;

export function adjustNodeNetns(cluster: Cluster, node: NodeRec, ns: Netns): void {
  if (cluster.config.kubeProxy === 'ipvs') {
    const ips = ipvsBoundIps(servicePorts(servicesOf(cluster).services, node.meta.name));
    const ifindex = Math.max(0, ...ns.links.map((l) => l.ifindex)) + 1;
    ns.links.push({
      ifindex,
      name: 'kube-ipvs0',
      kind: 'dummy',
      mtu: 1500,
      mac: macFor(cluster.config.seed, `${ns.id}/kube-ipvs0`),
      operState: 'DOWN',
      flags: ['BROADCAST', 'NOARP'],
      addrs: ips.map((ip) => ({ ip, prefix: 32, scope: 'global' as const })),
      qdisc: 'noop',
    });
  }
  ns.sysctl['net.ipv4.conf.all.route_localnet'] = cluster.config.kubeProxy === 'iptables' ? '1' : '0';
  const overrides = cluster.nodeSysctls?.[node.meta.name];
  if (!overrides) return;
  for (const [key, value] of Object.entries(overrides)) {
    const m = HAIRPIN.exec(key);
    if (m) {
      const link = ns.links.find((l) => l.name === m[1]);
      if (link) link.hairpin = value.trim() === '1';
    } else ns.sysctl[key] = value;
  }
}
