/**
 * The CNI agents' own CLIs inside their pods, derived from engine state:
 * - calico-node: `calico-node -bird-ready` / `-felix-ready` (the readiness probe's checks: silent
 *   and 0 when ready, calico's message otherwise) and `birdcl show protocols|route` (BIRD 1.6 as
 *   Calico ships it: its protocols static1/kernel1/device1/direct1 and one `Mesh_<ip>` iBGP session
 *   per other calico-node; the routes are the node's routing table as BIRD holds it — BGP-learned
 *   blocks via the peer on eth0, its own blocks' blackholes, the kernel's workload and default
 *   routes, the connected network). The formats are BIRD's (proto_show, rt_show_rte).
 * - cilium agent: `cilium status` / `cilium-dbg status` (the agent's summary: kube-proxy
 *   replacement, routing mode, IPAM use of the node's pool CIDR, encryption, cluster health), plus
 *   `endpoint list` and `service list` from the existing renderers.
 */
import { formatIpv4 } from '../addressing/ipv4';
import { runsCilium, type Cluster, type NodeRec, type PodRec } from '../model/cluster';
import type { Route } from '../model/netns';
import { ciliumNodeCidr } from '../cni/cilium';
import { EPOCH_MS } from '../sim/clock';
import { createdAt } from './time';
import { netnsOf } from './netcmds';
import { ciliumCmd } from './netfilterCmds';
import { cilium as ciliumPolicyCmd } from './policyCmds';
import { fail, out, type Ctx, type Handler } from './types';

function nodeOfPlace(ctx: Ctx): { node: NodeRec; pod?: PodRec } | undefined {
  const place = ctx.place;
  const cluster = ctx.session.cluster;
  const name = place.kind === 'node' || place.kind === 'netns' ? place.node : place.kind === 'pod' ? cluster.pods.get(`${place.namespace}/${place.name}`)?.nodeName : undefined;
  const node = cluster.nodes.find((n) => n.meta.name === name);
  if (!node) return undefined;
  const pod = place.kind === 'pod' ? cluster.pods.get(`${place.namespace}/${place.name}`) : undefined;
  return { node, pod };
}

const calicoNodes = (cluster: Cluster): NodeRec[] => {
  const names = new Set<string>();
  for (const p of cluster.pods.values()) if (p.meta.labels['k8s-app'] === 'calico-node' && p.phase === 'Running') names.add(p.nodeName);
  return cluster.nodes.filter((n) => names.has(n.meta.name));
};

const birdRuns = (cluster: Cluster) => cluster.config.cni === 'calico' || cluster.config.cni === 'calico-ipip';
const BIRD_SOCKET = '/var/run/calico/bird.ctl';
const meshName = (n: NodeRec) => `Mesh_${formatIpv4(n.ip).replace(/\./g, '_')}`;

/** BIRD's `%T` for a time today (route and protocol timestamps); the sessions came up with the node. */
function birdTime(seconds: number): string {
  return new Date(EPOCH_MS + seconds * 1000).toISOString().slice(11, 19);
}

export const calicoNodeCmd: Handler = (args, ctx) => {
  const here = nodeOfPlace(ctx);
  if (!here) return fail('calico-node: cannot find this node', 1);
  const cluster = ctx.session.cluster;
  if (args.includes('-felix-ready') || args.includes('-felix-live')) return out();
  if (args.includes('-bird-ready') || args.includes('-bird-live')) {
    if (!birdRuns(cluster)) return fail(`calico/node is not ready: BIRD is not ready: Error querying BIRD: unable to connect to BIRDv4 socket: dial unix ${BIRD_SOCKET}: connect: no such file or directory`, 1);
    return out();
  }
  if (args.includes('-v') || args.includes('--version')) return out('v3.29.1\n');
  return fail('Usage of calico-node:\n  -bird-ready\n    \tRun BIRD readiness checks on local host\n  -felix-ready\n    \tRun felix readiness checks on local host', 2);
};

function showProtocols(cluster: Cluster, node: NodeRec): string {
  const since = birdTime(createdAt(node.meta) + 5);
  // proto.c proto_show: "%-8s %-8s %-8s %-5s  %-10s  %s".
  const row = (name: string, proto: string, info: string) => `${name.padEnd(8)} ${proto.padEnd(8)} ${'master'.padEnd(8)} ${'up'.padEnd(5)}  ${since.padEnd(10)}  ${info}`;
  const lines = ['name     proto    table    state  since       info', row('static1', 'Static', ''), row('kernel1', 'Kernel', ''), row('device1', 'Device', ''), row('direct1', 'Direct', '')];
  for (const peer of calicoNodes(cluster)) if (peer !== node && peer.meta.name !== node.meta.name) lines.push(row(meshName(peer), 'BGP', 'Established'.padEnd(14)));
  return lines.join('\n') + '\n';
}

/** One BIRD route line: `prefix  via … on dev [proto time] * (pref)`. */
function showRoute(cluster: Cluster, node: NodeRec, routes: Route[]): string {
  const t = birdTime(createdAt(node.meta) + 5);
  const peers = new Map(cluster.nodes.map((n) => [n.ip, n] as [number, NodeRec]));
  const lines: string[] = [];
  const main = routes.filter((r) => (r.table ?? 'main') === 'main' && r.type !== 'local' && r.type !== 'broadcast');
  const sorted = [...main].sort((a, b) => (a.dst.network >>> 0) - (b.dst.network >>> 0) || a.dst.prefix - b.dst.prefix);
  for (const r of sorted) {
    const dst = `${formatIpv4(r.dst.network)}/${r.dst.prefix}`;
    let what: string;
    let proto: string;
    let info: string;
    if (r.type === 'blackhole') {
      what = 'blackhole';
      proto = 'static1';
      info = ' (200)';
    } else if (r.proto === 'bird' && r.via !== undefined) {
      // BIRD learned the block from the peer; Calico's export filter puts it on tunl0 in the kernel.
      const peer = peers.get(r.via);
      what = `via ${formatIpv4(r.via)} on eth0`;
      proto = peer ? meshName(peer) : 'kernel1';
      info = peer ? ' (100/0) [i]' : ' (10)';
    } else if (r.proto === 'kernel' && r.scope === 'link') {
      what = `dev ${r.dev}`;
      proto = 'direct1';
      info = ' (240)';
    } else {
      what = r.via !== undefined ? `via ${formatIpv4(r.via)} on ${r.dev}` : `dev ${r.dev}`;
      proto = 'kernel1';
      info = ' (10)';
    }
    lines.push(`${dst.padEnd(18)} ${what} [${proto} ${t}] *${info}`);
  }
  return lines.join('\n') + '\n';
}

export const birdcl: Handler = (args, ctx) => {
  const here = nodeOfPlace(ctx);
  const cluster = ctx.session.cluster;
  const words = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-s');
  if (!here || !birdRuns(cluster)) return fail(`Unable to connect to server control socket (${BIRD_SOCKET}): No such file or directory`, 1);
  const head = 'BIRD v0.3.3+birdv1.6.8 ready.\n';
  const [cmd, what] = words;
  if (cmd === 'show' && what?.startsWith('proto')) return out(head + showProtocols(cluster, here.node));
  if (cmd === 'show' && what?.startsWith('route')) {
    const ns = netnsOf(ctx, { kind: 'node', node: here.node.meta.name, via: 'ssh' });
    return out(head + showRoute(cluster, here.node, ns?.routes ?? []));
  }
  if (!cmd) return out(head);
  return out(head + 'syntax error, unexpected CF_SYM_UNDEFINED, expecting END or CLI_MARKER or ...\n', '', 0);
};

// ── cilium agent ──────────────────────────────────────────────────────────

function ciliumStatus(cluster: Cluster, node: NodeRec, flows: number): string {
  const version = /cilium\/cilium:v?([\d.]+)/.exec([...cluster.pods.values()].find((p) => p.meta.labels['k8s-app'] === 'cilium')?.containers[0]?.image ?? '')?.[1] ?? '1.16.5';
  const k8s = cluster.config.kubernetesVersion.replace(/^v/, '');
  const kpr = cluster.config.kubeProxy === 'none';
  const tunnel = cluster.config.cni === 'cilium';
  const cidr = ciliumNodeCidr(node);
  const endpoints = [...cluster.pods.values()].filter((p) => p.nodeName === node.meta.name && !p.hostNetwork && p.attachment).length;
  // The router (cilium_host) and the health endpoint take an address each besides the pods'.
  const used = endpoints + 2;
  const size = cidr ? 2 ** (32 - cidr.prefix) - 2 : 0;
  const agents = cluster.nodes.length;
  const ip = formatIpv4(node.ip);
  const lines: [string, string][] = [
    ['KVStore:', 'Disabled   '],
    ['Kubernetes:', `Ok   ${k8s.split('.').slice(0, 2).join('.')} (v${k8s}) [linux/amd64]`],
    ['Kubernetes APIs:', '["EndpointSliceOrEndpoint", "cilium/v2::CiliumClusterwideNetworkPolicy", "cilium/v2::CiliumEndpoint", "cilium/v2::CiliumNetworkPolicy", "cilium/v2::CiliumNode", "cilium/v2alpha1::CiliumCIDRGroup", "core/v1::Namespace", "core/v1::Pods", "core/v1::Service", "networking.k8s.io/v1::NetworkPolicy"]'],
    ['KubeProxyReplacement:', kpr ? `True   [eth0   ${ip} (Direct Routing)]` : 'False   '],
    ['Host firewall:', 'Disabled'],
    ['SRv6:', 'Disabled'],
    // GKE Dataplane V2: cilium-cni is chained after netd's ptp (10-gke-ptp.conflist), which anetd does not write.
    ...(cluster.config.cni === 'gke-dataplane-v2'
      ? ([['CNI Chaining:', 'generic-veth'], ['CNI Config file:', 'CNI configuration file management disabled']] as [string, string][])
      : ([['CNI Chaining:', 'none'], ['CNI Config file:', 'successfully wrote CNI configuration file to /host/etc/cni/net.d/05-cilium.conflist']] as [string, string][])),
    ['Cilium:', `Ok   ${version} (v${version})`],
    ['NodeMonitor:', 'Listening for events on 2 CPUs with 64x4096 of shared memory'],
    ['Cilium health daemon:', 'Ok   '],
    ['IPAM:', cidr ? `IPv4: ${used}/${size} allocated from ${cidr.toString()}, ` : 'IPv4: 0/0 allocated, '],
    ['IPv4 BIG TCP:', 'Disabled'],
    ['IPv6 BIG TCP:', 'Disabled'],
    ['BandwidthManager:', 'Disabled'],
    ['Routing:', `Network: ${tunnel ? 'Tunnel [vxlan]' : 'Native'}   Host: ${kpr ? 'BPF' : 'Legacy'}`],
    ['Attach Mode:', 'TCX'],
    ['Device Mode:', 'veth'],
    ['Masquerading:', kpr ? 'BPF   [eth0]   ' + (cluster.config.podCIDR.toString()) + ' [IPv4: Enabled, IPv6: Disabled]' : 'IPTables [IPv4: Enabled, IPv6: Disabled]'],
    ['Controller Status:', `${40 + endpoints * 4}/${40 + endpoints * 4} healthy`],
    ['Proxy Status:', `OK, ip ${cidr ? formatIpv4(cidr.nth(1)) : ip}, 0 redirects active on ports 10000-20000, Envoy: external`],
    ['Global Identity Range:', 'min 256, max 65535'],
    ['Hubble:', `Ok              Current/Max Flows: ${Math.min(flows, 4095)}/4095 (${((Math.min(flows, 4095) / 4095) * 100).toFixed(2)}%), Flows/s: 0.00   Metrics: Disabled`],
    ['Encryption:', cluster.config.wireguard ? `Wireguard       [NodeEncryption: Disabled, cilium_wg0 (Pubkey: <redacted>, Port: 51871, Peers: ${agents - 1})]` : 'Disabled        '],
    ['Cluster health:', `${agents}/${agents} reachable   (${new Date(EPOCH_MS + cluster.now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')})`],
    ['Modules Health:', 'Stopped(0) Degraded(0) OK(11)'],
  ];
  // The agent prints the labels in a 25-wide column (pkg/command: fmt "%-25s").
  return lines.map(([k, v]) => `${k.padEnd(25)}${v}`.trimEnd()).join('\n') + '\n';
}

/** `cilium`/`cilium-dbg` in the agent pod: status here, endpoint and service lists from their renderers. */
export const ciliumAgentCmd: Handler = (args, ctx) => {
  const here = nodeOfPlace(ctx);
  const cluster = ctx.session.cluster;
  const w = args.filter((a) => !a.startsWith('-'));
  if (!here || !runsCilium(cluster.config.cni)) return fail('Error: Cannot get cilium agent status: connection refused', 1);
  if (w[0] === 'status') return out(ciliumStatus(cluster, here.node, ctx.session.flowLog?.length ?? 0));
  const nodeCtx = { ...ctx, place: { kind: 'node' as const, node: here.node.meta.name, via: 'ssh' as const } };
  if (w[0] === 'endpoint' || w[0] === 'endpoint-list' || w[0] === 'policy') return ciliumPolicyCmd(args, nodeCtx);
  return ciliumCmd(args, ctx);
};

/** The agents' commands for a pod running this image. */
export function cniAgentCommands(image: string): Record<string, Handler> {
  if (/calico\/node/.test(image)) return { 'calico-node': calicoNodeCmd, birdcl, birdcl6: birdcl };
  if (/cilium\/cilium/.test(image)) return { cilium: ciliumAgentCmd, 'cilium-dbg': ciliumAgentCmd };
  return {};
}
