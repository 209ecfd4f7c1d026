/**
 * The cluster's network, derived from a `Cluster` by its CNI plugin. Namespaces are built
 * on first use and cached per cluster object (a `WeakMap`), so an unchanged cluster keeps
 * the same `Netns` objects and a 5,000-node cluster never builds 150,000 namespaces it is
 * not asked about.
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import { macFor } from '../addressing/mac';
import type { Cluster, NodeRec, PodRec } from '../model/cluster';
import { netnsId, type NetnsId } from '../model/ids';
import { NODE_SEGMENT, type Netns, type Network, type Segment } from '../model/netns';
import type { CniPlugin, PlumbContext } from './plugin';
import { pluginFor } from './registry';
import { externalWorld } from '../external/world';
import { adjustNodeNetns } from '../kubeproxy/nodeNetns';
import { FabricTable } from './fabricTable';
import { applyLinkMtus } from './linkMtus';

export { NODE_SEGMENT };

export interface ClusterNetwork extends Network {
  plugin: CniPlugin;
  ctx: PlumbContext;
  /** The port on a segment that answers ARP for `ip`: its owner, or (VPC fabric) the ENI holding it as a secondary IP. */
  arpOnSegment(segment: string, ip: Ipv4): { netns: NetnsId; dev: string; mac: string } | undefined;
  /** The port on a segment whose NIC has this MAC. */
  portByMac(segment: string, mac: string): { netns: NetnsId; dev: string } | undefined;
}

const cache = new WeakMap<Cluster, ClusterNetwork>();

export function networkOf(cluster: Cluster): ClusterNetwork {
  let net = cache.get(cluster);
  if (!net) {
    net = createNetwork(cluster);
    cache.set(cluster, net);
  }
  return net;
}

function createNetwork(cluster: Cluster): ClusterNetwork {
  const config = cluster.config;
  const plugin = pluginFor(config.cni);
  const nodeByName = new Map<string, NodeRec>(cluster.nodes.map((n) => [n.meta.name, n] as [string, NodeRec]));
  let podsByNode: Map<string, PodRec[]> | undefined;
  const podsOn = (node: string): PodRec[] => {
    if (!podsByNode) {
      podsByNode = new Map(cluster.nodes.map((n) => [n.meta.name, [] as PodRec[]]));
      for (const pod of cluster.pods.values()) podsByNode.get(pod.nodeName)?.push(pod);
    }
    return podsByNode.get(node) ?? [];
  };
  const ctx: PlumbContext = {
    cluster,
    config,
    plugin,
    node: (name) => nodeByName.get(name),
    podsOn,
    mac: (ns, dev) => macFor(config.seed, `${ns}/${dev}`),
  };

  const built = new Map<NetnsId, Netns>();
  const get = (id: NetnsId): Netns | undefined => {
    const hit = built.get(id);
    if (hit) return hit;
    let ns: Netns | undefined;
    if (id.startsWith('node/')) {
      const node = nodeByName.get(id.slice(5));
      if (node) {
        ns = plugin.buildNode(ctx, node);
        adjustNodeNetns(cluster, node, ns);
      }
    } else if (id.startsWith('pod/')) {
      const pod = cluster.pods.get(id.slice(4));
      if (pod && !pod.hostNetwork && pod.attachment) ns = plugin.buildPod(ctx, pod);
    } else if (id.startsWith('ext/')) {
      // The world outside the cluster (external/world.ts): client, gateway router, Internet, cloud LBs.
      ns = externalWorld(cluster).get(id);
    }
    if (ns) {
      applyLinkMtus(cluster, ns);
      built.set(id, ns);
    }
    return ns;
  };

  // Address ownership, built once on first use: node IPs, pod IPs.
  let owners: Map<Ipv4, { netns: NetnsId; dev: string }> | undefined;
  const ownerIndex = () => {
    if (!owners) {
      owners = new Map();
      for (const n of cluster.nodes) owners.set(n.ip, { netns: netnsId.node(n.meta.name), dev: 'eth0' });
      for (const p of cluster.pods.values()) {
        if (p.attachment) owners.set(p.attachment.ip, { netns: netnsId.pod(p.meta.namespace ?? 'default', p.meta.name), dev: 'eth0' });
      }
    }
    return owners;
  };

  const nodeNicMac = (n: NodeRec) => n.macs.eth0 ?? ctx.mac(netnsId.node(n.meta.name), 'eth0');
  let macIndex: Map<string, NodeRec> | undefined;
  let nodeByIp: Map<Ipv4, NodeRec> | undefined;

  const segment: Segment = {
    name: NODE_SEGMENT,
    cidr: config.nodeNetwork,
    fabric: plugin.fabric,
    ...(plugin.cloud ? { cloud: plugin.cloud } : {}),
    gateway: config.nodeNetwork.nth(1),
    ports: cluster.nodes.map((n) => ({ netns: netnsId.node(n.meta.name), dev: 'eth0' })),
    ...(config.underlayMtu !== undefined ? { mtu: config.underlayMtu } : {}),
  };
  // The gateway router's NIC and the VM beside the nodes are ports of the node network too; the external segments follow.
  const outside = () => externalWorld(cluster);
  segment.ports.push({ netns: outside().gatewayPort.netns, dev: outside().gatewayPort.dev });
  for (const s of outside().nodeNetworkStations) segment.ports.push({ netns: s.netns, dev: s.dev });

  // The cloud fabric's route table, joined from every node's routes on first use (fabricTable.ts).
  let fabric: FabricTable | undefined;
  const fabricTable = () => (fabric ??= new FabricTable(plugin.fabricRoutes ? cluster.nodes.flatMap((n) => plugin.fabricRoutes!(ctx, n)) : []));

  return {
    plugin,
    ctx,
    segments: [segment, ...outside().segments],
    get,
    ids() {
      const ids: NetnsId[] = cluster.nodes.map((n) => netnsId.node(n.meta.name));
      for (const p of cluster.pods.values()) if (p.attachment) ids.push(netnsId.pod(p.meta.namespace ?? 'default', p.meta.name));
      return ids;
    },
    ownerOf: (ip) => ownerIndex().get(ip) ?? outside().ownerOf(ip),
    fabricRoute: (ip, from = 'cluster') => (plugin.fabric === 'vpc' ? fabricTable().lookup(ip, from) : undefined),
    arpOnSegment(seg, ip) {
      if (seg !== NODE_SEGMENT) return outside().arpOn(seg, ip);
      nodeByIp ??= new Map(cluster.nodes.map((n) => [n.ip, n] as [Ipv4, NodeRec]));
      let node = nodeByIp.get(ip);
      if (!node && plugin.fabric === 'vpc') {
        // The cloud answers for a NIC's secondary IPs (AWS ENI, Azure IP configurations) with the NIC's MAC.
        const r = fabricTable().lookup(ip, 'vpc');
        if (r?.kind === 'secondary-ip') node = nodeByName.get(r.node);
      }
      if (node) return { netns: netnsId.node(node.meta.name), dev: 'eth0', mac: nodeNicMac(node) };
      const station = outside().arpOn(NODE_SEGMENT, ip);
      if (station) return station;
      // The gateway router answers for its address; the VPC fabric hands it whatever leaves the VPC.
      if (ip === segment.gateway || (plugin.fabric === 'vpc' && !config.nodeNetwork.contains(ip))) return outside().gatewayPort;
      return undefined;
    },
    portByMac(seg, mac) {
      if (seg !== NODE_SEGMENT) return outside().portByMac(seg, mac);
      macIndex ??= new Map(cluster.nodes.map((n) => [nodeNicMac(n), n] as [string, NodeRec]));
      const node = macIndex.get(mac);
      if (!node && mac === outside().gatewayPort.mac) return { netns: outside().gatewayPort.netns, dev: outside().gatewayPort.dev };
      if (!node) return outside().portByMac(NODE_SEGMENT, mac);
      return { netns: netnsId.node(node.meta.name), dev: 'eth0' };
    },
  };
}

/** `10.244.1.5` for logs and errors. */
export const ip = formatIpv4;
