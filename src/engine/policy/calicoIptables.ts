/**
 * Felix's filter-table chains for NetworkPolicy, as `iptables-save -t filter` prints them on a
 * Calico node (felix/rules: static.go, endpoints.go, policy.go; names from felix/rules/
 * rule_defs.go): `cali-FORWARD` dispatches on the interface to `cali-from-wl-dispatch` /
 * `cali-to-wl-dispatch`, which goto `cali-fw-<iface>` / `cali-tw-<iface>`; those run the policy
 * chains `cali-pi-<id>` (ingress) / `cali-po-<id>` (egress), then the namespace profile
 * `cali-pri-kns.<ns>` / `cali-pro-kns.<ns>`. Mark bits: 0x10000 accept, 0x20000 pass.
 *
 * Approximations: rule-id comments (`cali:` + 16 characters) and ipset names are hashes of stable
 * inputs, not Felix's exact hashes; selectors appear as `cali40s:` ipsets; one iptables rule per
 * (peer, protocol) of each NetworkPolicy rule; the workload-to-host and failsafe chains are left out.
 */
import { calicoOnGke } from '../cni/gke';
import type { Cluster, NodeRec, PodRec } from '../model/cluster';
import type { IptablesContributor } from '../kubeproxy/contributors';
import { sha256Hex } from '../util/hash';
import { policyIndexOf } from './policyIndex';
import { formatSelector } from '../model/labelSelector';
import type { Direction, Peer, Policy, PortSpec } from './types';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url of a sha256, `n` characters (Felix hashes ids and rules this way). */
function hashId(text: string, n: number): string {
  const hex = sha256Hex(text);
  let s = '';
  for (let i = 0; s.length < n; i += 3) {
    const v = parseInt(hex.slice(i * 2, i * 2 + 6).padEnd(6, '0'), 16);
    s += B64[(v >> 18) & 63] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + B64[v & 63];
  }
  return s.slice(0, n);
}

const comment = (chain: string, i: number) => `-m comment --comment "cali:${hashId(`${chain}/${i}`, 16)}"`;

/** IPTABLES_CONTRIBUTORS entry: Felix's filter chains on Calico nodes. */
export const calicoIptablesContributor: IptablesContributor = (cluster, node, table) => {
  const n = cluster.nodes.find((x) => x.meta.name === node);
  const azureCalico = (cluster.config.cni === 'azure-cni' || cluster.config.cni === 'azure-cni-overlay') && cluster.config.networkPolicy === 'calico';
  if (table !== 'filter' || !n || !(cluster.config.cni.startsWith('calico') || calicoOnGke(cluster.config) || azureCalico)) return { chains: [], rules: [] };
  return calicoFilterLines(cluster, n);
};

export function calicoEndpointChain(pod: PodRec, dir: Direction): string {
  return `${dir === 'Ingress' ? 'cali-tw-' : 'cali-fw-'}${pod.attachment?.hostIfname ?? 'cali'}`;
}

/** `cali-pi-_…` / `cali-po-_…`: Kubernetes policies are `knp.default.<name>` in tier default; the id is too long, so it is hashed to fit 28 characters. */
export function calicoPolicyChain(policy: Policy, dir: Direction): string {
  return `${dir === 'Ingress' ? 'cali-pi-' : 'cali-po-'}_${hashId(`default/${policy.namespace}/knp.default.${policy.name}`, 19)}`;
}

const ipset = (what: string) => `cali40s:${hashId(what, 22)}`;

function peerMatch(policy: Policy, peer: Peer, dir: Direction): string[] {
  const side = dir === 'Ingress' ? 'src' : 'dst';
  if (peer.ipBlock) {
    const out = [`${side === 'src' ? '-s' : '-d'} ${peer.ipBlock.cidr.toString()}`];
    if (peer.ipBlock.except.length) out.push(`-m set ! --match-set ${ipset(`except:${peer.ipBlock.except.join(',')}`)} ${side}`);
    return out;
  }
  const ns = peer.namespaceSelector ? `ns:${formatSelector(peer.namespaceSelector)}` : `ns:${policy.namespace}`;
  const pod = peer.podSelector ? formatSelector(peer.podSelector) : 'all()';
  return [`-m set --match-set ${ipset(`${ns}|${pod}`)} ${side}`];
}

function portMatches(ports: PortSpec[]): string[][] {
  if (!ports.length) return [[]];
  const byProto = new Map<string, PortSpec[]>();
  for (const p of ports) byProto.set(p.protocol, [...(byProto.get(p.protocol) ?? []), p]);
  return [...byProto].map(([proto, specs]) => {
    const m = [`-p ${proto.toLowerCase()}`];
    const numeric = specs.filter((s) => typeof s.port === 'number').map((s) => (s.endPort !== undefined ? `${s.port}:${s.endPort}` : String(s.port)));
    const named = specs.filter((s) => typeof s.port === 'string');
    if (numeric.length) m.push(`-m multiport --dports ${numeric.join(',')}`);
    for (const n of named) m.push(`-m set --match-set cali40n:${hashId(`named:${n.port}`, 22)} dst,dst`);
    return m;
  });
}

function policyChainRules(policy: Policy, dir: Direction): string[] {
  const chain = calicoPolicyChain(policy, dir);
  const rules = dir === 'Ingress' ? policy.ingress : policy.egress;
  const out: string[] = [];
  let i = 0;
  for (const rule of rules) {
    const peers = rule.peers.length ? rule.peers : [undefined];
    for (const peer of peers) {
      for (const ports of portMatches(rule.ports)) {
        const parts = [`-A ${chain}`, comment(chain, i++), ...ports, ...(peer ? peerMatch(policy, peer, dir) : []), '-j MARK --set-xmark 0x10000/0x10000'];
        out.push(parts.join(' '));
        out.push(`-A ${chain} ${comment(chain, i++)} -m mark --mark 0x10000/0x10000 -j RETURN`);
      }
    }
  }
  return out;
}

function endpointChainRules(pod: PodRec, dir: Direction, policies: Policy[]): string[] {
  const chain = calicoEndpointChain(pod, dir);
  const ns = pod.meta.namespace ?? 'default';
  let i = 0;
  const r = (rest: string) => `-A ${chain} ${comment(chain, i++)} ${rest}`;
  const out = [
    r('-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'),
    r('-m conntrack --ctstate INVALID -j DROP'),
    r('-j MARK --set-xmark 0x0/0x10000'),
  ];
  if (policies.length) {
    out.push(r('-m comment --comment "Start of tier default" -j MARK --set-xmark 0x0/0x20000'));
    for (const p of policies) {
      out.push(r(`-m mark --mark 0x0/0x20000 -j ${calicoPolicyChain(p, dir)}`));
      out.push(r('-m comment --comment "Return if policy accepted" -m mark --mark 0x10000/0x10000 -j RETURN'));
    }
    out.push(r('-m comment --comment "Drop if no policies passed packet" -m mark --mark 0x0/0x20000 -j DROP'));
  }
  out.push(r(`-j ${dir === 'Ingress' ? 'cali-pri' : 'cali-pro'}-kns.${ns}`));
  out.push(r('-m comment --comment "Return if profile accepted" -m mark --mark 0x10000/0x10000 -j RETURN'));
  out.push(r('-m comment --comment "Drop if no profiles matched" -j DROP'));
  return out;
}

/** The lines Felix contributes to `iptables-save -t filter` on `node`: chain names (declared `:NAME - [0:0]`) and rules. */
export function calicoFilterLines(cluster: Cluster, node: NodeRec): { chains: string[]; rules: string[] } {
  const idx = policyIndexOf(cluster);
  const pods = [...cluster.pods.values()].filter((p) => p.nodeName === node.meta.name && !p.hostNetwork && p.attachment);
  const chainNames = new Set<string>(['cali-FORWARD', 'cali-from-wl-dispatch', 'cali-to-wl-dispatch']);
  const rules: string[] = [
    `-A FORWARD ${comment('FORWARD', 0)} -j cali-FORWARD`,
    `-A cali-FORWARD ${comment('cali-FORWARD', 0)} -j MARK --set-xmark 0x0/0xe0000`,
    `-A cali-FORWARD ${comment('cali-FORWARD', 1)} -i cali+ -j cali-from-wl-dispatch`,
    `-A cali-FORWARD ${comment('cali-FORWARD', 2)} -o cali+ -j cali-to-wl-dispatch`,
  ];
  const policyRules: string[] = [];
  const seenPolicies = new Set<string>();
  const namespaces = new Set<string>();
  for (const pod of pods) {
    const iface = pod.attachment!.hostIfname;
    rules.push(`-A cali-from-wl-dispatch ${comment('cali-from-wl-dispatch', rules.length)} -i ${iface} -g ${calicoEndpointChain(pod, 'Egress')}`);
    rules.push(`-A cali-to-wl-dispatch ${comment('cali-to-wl-dispatch', rules.length)} -o ${iface} -g ${calicoEndpointChain(pod, 'Ingress')}`);
    namespaces.add(pod.meta.namespace ?? 'default');
    for (const dir of ['Ingress', 'Egress'] as const) {
      chainNames.add(calicoEndpointChain(pod, dir));
      const selecting = idx.selecting(pod, dir);
      rules.push(...endpointChainRules(pod, dir, selecting));
      for (const p of selecting) {
        const name = calicoPolicyChain(p, dir);
        if (seenPolicies.has(name)) continue;
        seenPolicies.add(name);
        chainNames.add(name);
        policyRules.push(...policyChainRules(p, dir));
      }
    }
  }
  rules.push(`-A cali-from-wl-dispatch ${comment('cali-from-wl-dispatch', 9999)} -m comment --comment "Unknown interface" -j DROP`);
  rules.push(`-A cali-to-wl-dispatch ${comment('cali-to-wl-dispatch', 9999)} -m comment --comment "Unknown interface" -j DROP`);
  for (const ns of [...namespaces].sort()) {
    for (const pre of ['cali-pri-kns.', 'cali-pro-kns.']) {
      const c = `${pre}${ns}`;
      chainNames.add(c);
      rules.push(`-A ${c} ${comment(c, 0)} -j MARK --set-xmark 0x10000/0x10000`);
      rules.push(`-A ${c} ${comment(c, 1)} -m mark --mark 0x10000/0x10000 -j RETURN`);
    }
  }
  rules.push(...policyRules);
  return { chains: [...chainNames].sort(), rules };
}
