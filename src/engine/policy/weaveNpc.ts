/**
 * weave-npc's filter-table chains (weave 2.8: prog/weave-npc/main.go createBaseRules,
 * net/bridge.go's FORWARD jumps, npc/namespace.go bypassRules, npc/rule.go), as
 * `iptables-save -t filter` prints them on a weave node, and the names the trace uses when
 * weave-npc drops a packet in FORWARD.
 *
 *   FORWARD -i weave → WEAVE-NPC-EGRESS: ESTABLISHED accept; frames from the peer port
 *     (physdev-in vethwe-bridge) RETURN (the sending node already checked them);
 *     WEAVE-NPC-EGRESS-DEFAULT (non-isolated namespaces' pods) then WEAVE-NPC-EGRESS-CUSTOM
 *     (one mark + one RETURN rule per policy peer/port) set mark 0x40000; unmarked → DROP.
 *   FORWARD -o weave → WEAVE-NPC: ESTABLISHED accept; frames leaving through the peer port
 *     (physdev-out vethwe-bridge) ACCEPT (the receiving node checks them); WEAVE-NPC-DEFAULT
 *     (non-isolated pods) and WEAVE-NPC-INGRESS (one ACCEPT per policy peer/port); what
 *     returns falls to `-A FORWARD -o weave -j DROP`.
 *
 * ipset names are weave's: `weave-` + shortName(sha1 in an 85-symbol alphabet) of
 * `ingress-default-allow:<ns>`, `egress-default-allow:<ns>` and `<ns>:<selector>`
 * (npc/shortname.go, npc/selector.go). Approximations: an ipBlock is one `-s/-d cidr` rule
 * (weave adds except-ipsets); namespace selectors hash `:<selector>`.
 */
import type { Cluster, PodRec } from '../model/cluster';
import type { IptablesContributor } from '../kubeproxy/contributors';
import { sha1Hex } from '../util/hash';
import { policyIndexOf } from './policyIndex';
import { formatSelector, type LabelSelector } from '../model/labelSelector';
import type { Direction, Peer, Policy, PortSpec } from './types';

export const WEAVE_BRIDGE = 'weave';
/** weave-npc --bridge-port-name default: the bridge's port toward the fast datapath (other nodes). */
export const WEAVE_PEER_PORT = 'vethwe-bridge';
export const EGRESS_MARK = '0x40000/0x40000';
const BEFORE_KUBE = `-m comment --comment "NOTE: this must go before '-j KUBE-FORWARD'"`;

const SHORTNAME_SYMBOLS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789(){}[]+=_$%^!*|/?.;:@#~';

/** npc/shortname.go: sha1, written little-end-first in base 85 (weave's ipset names). */
export function weaveShortName(text: string): string {
  let i = BigInt(`0x${sha1Hex(text)}`);
  const base = BigInt(SHORTNAME_SYMBOLS.length);
  let out = '';
  while (i > 0n) {
    out += SHORTNAME_SYMBOLS[Number(i % base)];
    i /= base;
  }
  return out;
}

const ipset = (key: string) => `weave-${weaveShortName(key)}`;
/** labels.Selector.String(): `pod=a,tier in (x)`, empty for everything. */
const selText = (s: LabelSelector) => (formatSelector(s) === '<none>' ? '' : formatSelector(s));

/** The chain and rule a weave-npc verdict names, by direction. */
export function weaveNpcWhere(dir: Direction, hostIf: string | undefined, bridged: boolean): string {
  const phys = bridged && hostIf ? ` (bridged, physdev-${dir === 'Egress' ? 'in' : 'out'} ${hostIf})` : bridged ? '' : ' (routed)';
  return dir === 'Egress'
    ? `FORWARD -i weave -j WEAVE-NPC-EGRESS${phys}: WEAVE-NPC-EGRESS-DEFAULT, WEAVE-NPC-EGRESS-CUSTOM`
    : `FORWARD -o weave -j WEAVE-NPC${phys}: WEAVE-NPC-DEFAULT, WEAVE-NPC-INGRESS`;
}

/** The rule that drops what no policy marked or accepted. */
export function weaveNpcDropRule(dir: Direction): string {
  return dir === 'Egress' ? `-A WEAVE-NPC-EGRESS -m mark ! --mark ${EGRESS_MARK} -j DROP` : '-A FORWARD -o weave -j DROP';
}

function peerSpec(policy: Policy, peer: Peer | undefined, side: 'src' | 'dst'): { args: string[]; comment: string } {
  if (!peer) return { args: [], comment: 'anywhere' };
  if (peer.ipBlock) return { args: [`${side === 'src' ? '-s' : '-d'} ${peer.ipBlock.cidr.toString()}`], comment: `cidr: ${peer.ipBlock.cidr.toString()}` };
  if (peer.namespaceSelector && !peer.podSelector) {
    const key = selText(peer.namespaceSelector);
    return { args: [`-m set --match-set ${ipset(`:${key}`)} ${side}`], comment: `namespaces: selector: ${key}` };
  }
  const key = selText(peer.podSelector ?? { matchLabels: {}, matchExpressions: [] });
  const ns = peer.namespaceSelector ? selText(peer.namespaceSelector) : policy.namespace;
  return { args: [`-m set --match-set ${ipset(`${ns}:${key}`)} ${side}`], comment: `pods: namespace: ${ns}, selector: ${key}` };
}

function portArgs(ports: PortSpec[]): string[][] {
  if (!ports.length) return [[]];
  return ports.map((p) => {
    const proto = p.protocol.toLowerCase();
    const port = p.port === undefined ? undefined : p.endPort !== undefined ? `${p.port}:${p.endPort}` : String(p.port);
    return [`-p ${proto}`, ...(port !== undefined ? [`-m ${proto} --dport ${port}`] : [])];
  });
}

function policyRules(policy: Policy, dir: Direction): string[] {
  const target = { podSelector: policy.podSelector };
  const out: string[] = [];
  for (const rule of dir === 'Ingress' ? policy.ingress : policy.egress) {
    for (const peer of rule.peers.length ? rule.peers : [undefined]) {
      for (const ports of portArgs(rule.ports)) {
        const src = dir === 'Ingress' ? peerSpec(policy, peer, 'src') : peerSpec(policy, target, 'src');
        const dst = dir === 'Ingress' ? peerSpec(policy, target, 'dst') : peerSpec(policy, peer, 'dst');
        const p = ports[0] ? [ports[0]] : [];
        const rest = [...p, ...src.args, ...dst.args, ...ports.slice(1), `-m comment --comment "${src.comment} -> ${dst.comment} (${dir.toLowerCase()})"`].join(' ');
        if (dir === 'Ingress') out.push(`-A WEAVE-NPC-INGRESS ${rest} -j ACCEPT`);
        else out.push(`-A WEAVE-NPC-EGRESS-CUSTOM ${rest} -j WEAVE-NPC-EGRESS-ACCEPT`, `-A WEAVE-NPC-EGRESS-CUSTOM ${rest} -j RETURN`);
      }
    }
  }
  return out;
}

/** The lines weave and weave-npc contribute to `iptables-save -t filter` on a weave node. */
export function weaveNpcFilterLines(cluster: Cluster): { chains: string[]; rules: string[] } {
  const idx = policyIndexOf(cluster);
  const chains = ['WEAVE-NPC', 'WEAVE-NPC-DEFAULT', 'WEAVE-NPC-EGRESS', 'WEAVE-NPC-EGRESS-ACCEPT', 'WEAVE-NPC-EGRESS-CUSTOM', 'WEAVE-NPC-EGRESS-DEFAULT', 'WEAVE-NPC-INGRESS'];
  const rules = [
    `-A INPUT -i ${WEAVE_BRIDGE} -j WEAVE-NPC-EGRESS`,
    `-A FORWARD -i ${WEAVE_BRIDGE} ${BEFORE_KUBE} -j WEAVE-NPC-EGRESS`,
    `-A FORWARD -o ${WEAVE_BRIDGE} ${BEFORE_KUBE} -j WEAVE-NPC`,
    `-A FORWARD -o ${WEAVE_BRIDGE} -m state --state NEW -j NFLOG --nflog-group 86`,
    `-A FORWARD -o ${WEAVE_BRIDGE} -j DROP`,
    `-A FORWARD -i ${WEAVE_BRIDGE} ! -o ${WEAVE_BRIDGE} -j ACCEPT`,
    `-A FORWARD -o ${WEAVE_BRIDGE} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    '-A WEAVE-NPC -m state --state RELATED,ESTABLISHED -j ACCEPT',
    '-A WEAVE-NPC -d 224.0.0.0/4 -j ACCEPT',
    `-A WEAVE-NPC -m physdev --physdev-out ${WEAVE_PEER_PORT} -j ACCEPT`,
    '-A WEAVE-NPC -m state --state NEW -j WEAVE-NPC-DEFAULT',
    '-A WEAVE-NPC -m state --state NEW -j WEAVE-NPC-INGRESS',
    '-A WEAVE-NPC-EGRESS -m state --state RELATED,ESTABLISHED -j ACCEPT',
    `-A WEAVE-NPC-EGRESS -m physdev --physdev-in ${WEAVE_PEER_PORT} -j RETURN`,
    '-A WEAVE-NPC-EGRESS -d 224.0.0.0/4 -j RETURN',
    '-A WEAVE-NPC-EGRESS -m state --state NEW -j WEAVE-NPC-EGRESS-DEFAULT',
    `-A WEAVE-NPC-EGRESS -m state --state NEW -m mark ! --mark ${EGRESS_MARK} -j WEAVE-NPC-EGRESS-CUSTOM`,
    `-A WEAVE-NPC-EGRESS -m state --state NEW -m mark ! --mark ${EGRESS_MARK} -j NFLOG --nflog-group 86`,
    weaveNpcDropRule('Egress'),
    `-A WEAVE-NPC-EGRESS-ACCEPT -j MARK --set-xmark ${EGRESS_MARK}`,
  ];
  const namespaces = new Set<string>(['default', 'kube-system']);
  for (const p of cluster.pods.values()) namespaces.add(p.meta.namespace ?? 'default');
  for (const o of cluster.objects.values()) if (o.kind === 'Namespace') namespaces.add(o.meta.name);
  for (const ns of [...namespaces].sort()) {
    rules.push(`-A WEAVE-NPC-DEFAULT -m set --match-set ${ipset(`ingress-default-allow:${ns}`)} dst -m comment --comment "DefaultAllow ingress isolation for namespace: ${ns}" -j ACCEPT`);
    const eg = ipset(`egress-default-allow:${ns}`);
    rules.push(`-A WEAVE-NPC-EGRESS-DEFAULT -m set --match-set ${eg} src -m comment --comment "DefaultAllow egress isolation for namespace: ${ns}" -j WEAVE-NPC-EGRESS-ACCEPT`);
    rules.push(`-A WEAVE-NPC-EGRESS-DEFAULT -m set --match-set ${eg} src -m comment --comment "DefaultAllow egress isolation for namespace: ${ns}" -j RETURN`);
  }
  for (const p of idx.policies) {
    if (p.kind !== 'NetworkPolicy') continue;
    if (p.types.includes('Ingress')) rules.push(...policyRules(p, 'Ingress'));
    if (p.types.includes('Egress')) rules.push(...policyRules(p, 'Egress'));
  }
  return { chains, rules };
}

/** IPTABLES_CONTRIBUTORS entry: weave-npc's filter chains on weave nodes. */
export const weaveNpcIptablesContributor: IptablesContributor = (cluster, node, table) => {
  if (table !== 'filter' || cluster.config.cni !== 'weave' || !cluster.nodes.some((n) => n.meta.name === node)) return { chains: [], rules: [] };
  return weaveNpcFilterLines(cluster);
};

/** A weave pod's host-side port on the bridge (vethwepl…). */
export const weaveHostIf = (pod: PodRec | undefined) => pod?.attachment?.hostIfname;
