/**
 * Checks offered to the lesson author, filled from what is on screen: the trace shown (its
 * structured hop data: verdict, nodes crossed, encapsulation, the DNAT that rewrote the
 * destination, the policy that dropped it) and the selected pod, node or Service (engine state:
 * its node, the node's PodCIDR, its STATUS and reason, the Service's ready endpoints).
 *
 * Every suggestion is a check of the vocabulary (docs/lessons.md) that passes on the current
 * state, so "the last trace was dropped by policy X" is one click. Nothing reads UI strings or a
 * hop's `detail` text.
 */
import type { Cluster, TraceHop, TraceResult } from '../../../engine';
import { formatIpv4 } from '../../../engine';
import type { Ipv4 } from '../../../engine/addressing/ipv4';
import { servicesOf } from '../../../engine/services/table';
import type { CheckSpec } from './draft';

export interface CheckChoice {
  /** Stable within one suggestion list (a test id). */
  id: string;
  /** The check in words. */
  label: string;
  check: CheckSpec;
}

/** `name` in the default namespace, `ns/name` elsewhere (the vocabulary's `[ns/]name`). */
export function objectName(namespace: string, name: string): string {
  return namespace === 'default' ? name : `${namespace}/${name}`;
}

/** What a netfilter hook or eBPF program decided at the hop (the engine's structured facts). */
const decisionOf = (hop: TraceHop) => hop.decision;

/** `namespace/name` as the vocabulary writes it (`name` in the default namespace). */
function policyName(ref: string): string {
  const [ns, name] = ref.includes('/') ? ref.split('/') : ['default', ref];
  return objectName(ns, name);
}

const endpoint = (ip: string, port?: number) => (port !== undefined ? `${ip}:${port}` : ip);

/** Checks on the last trace (`trace: { last: true, … }`), from its request leg's hops. */
export function traceChoices(trace: TraceResult): CheckChoice[] {
  const out: CheckChoice[] = [];
  const last = (expect: Record<string, unknown>): CheckSpec => ({ trace: { last: true, ...expect } });
  const verdictWords = { delivered: 'was delivered', dropped: 'was dropped', unreachable: 'found its destination unreachable' } as const;
  out.push({ id: `verdict-${trace.verdict}`, label: `The last trace ${verdictWords[trace.verdict]}`, check: last({ verdict: trace.verdict }) });

  const hops = trace.hops;
  const drop = hops.find((h) => decisionOf(h)?.verdict === 'drop' && decisionOf(h)?.policies?.length);
  for (const ref of (drop && decisionOf(drop)?.policies) ?? []) {
    const name = policyName(ref);
    out.push({ id: `dropped-by-${name}`, label: `The last trace was dropped by policy ${name}`, check: last({ verdict: 'dropped', droppedBy: { policy: name } }) });
  }

  const seenNodes: string[] = [];
  for (const h of hops) if (h.node && !seenNodes.includes(h.node)) seenNodes.push(h.node);
  for (const node of seenNodes) out.push({ id: `crosses-${node}`, label: `The last trace crossed node ${node}`, check: last({ crosses: { node } }) });

  const encapHop = hops.find((h) => h.packet.encap);
  const encap = encapHop?.packet.encap;
  if (encap) {
    const what = `${encap.type.toUpperCase()}${encap.vni !== undefined ? ` VNI ${encap.vni}` : ''}`;
    out.push({ id: 'encap', label: `The last trace was encapsulated ${what}`, check: last({ encap: { type: encap.type, ...(encap.vni !== undefined ? { vni: encap.vni } : {}) } }) });
  } else if (seenNodes.length > 1) {
    out.push({ id: 'no-encap', label: 'The last trace crossed nodes without encapsulation', check: last({ encap: false }) });
  }

  // The DNAT: the hop whose decision translated the destination (its service chain names it), else
  // the first netfilter/eBPF hop after which the destination differs.
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i];
    const d = decisionOf(h);
    const prev = hops[i - 1];
    const rewrote = prev && (h.action === 'netfilter' || h.action === 'bpf') && (h.packet.dst !== prev.packet.dst || h.packet.dstPort !== prev.packet.dstPort);
    if (!d?.dnat && !rewrote) continue;
    const to = d?.dnat?.to ?? endpoint(h.packet.dst, h.packet.dstPort);
    const chain = d?.dnat ? (d.chains?.find((c) => c.startsWith('KUBE-SVC-')) ?? d.chains?.[d.chains.length - 1]) : undefined;
    out.push({ id: 'dnat', label: `The last trace was DNATed to ${to}${chain ? ` by ${chain}` : ''}`, check: last({ dnat: { ...(chain ? { chain } : {}), to } }) });
    break;
  }
  return out;
}

/** Checks on the selected canvas element: a pod (`ns/name`), a node (`node/NAME`), a Service (`svc/ns/name`). */
export function selectionChoices(cluster: Cluster, selection: string | null): CheckChoice[] {
  if (!selection) return [];
  if (selection.startsWith('svc/')) {
    const [, ns, name] = selection.split('/');
    const svc = servicesOf(cluster).services.find((s) => s.namespace === ns && s.name === name);
    if (!svc) return [];
    const ready = svc.endpoints.filter((e) => e.ready).length;
    const n = objectName(ns, name);
    return [{ id: 'svc-endpoints', label: `Service ${n} has ${ready} endpoint${ready === 1 ? '' : 's'}`, check: { service: { name: n, endpoints: ready } } }];
  }
  if (selection.startsWith('node/')) {
    const node = cluster.nodes.find((x) => x.meta.name === selection.slice(5));
    if (!node) return [];
    const out: CheckChoice[] = [];
    if (node.podCIDR) out.push({ id: 'node-podcidr', label: `Node ${node.meta.name} has PodCIDR ${node.podCIDR.toString()}`, check: { node: { name: node.meta.name, podCIDR: node.podCIDR.toString() } } });
    const count = [...cluster.pods.values()].filter((p) => p.nodeName === node.meta.name && !p.hostNetwork && p.meta.namespace === 'default').length;
    out.push({ id: 'node-pods', label: `${count} pod${count === 1 ? '' : 's'} of namespace default run on ${node.meta.name}`, check: { pods: { namespace: 'default', node: node.meta.name, count } } });
    return out;
  }
  const pod = cluster.pods.get(selection);
  if (!pod) return [];
  const n = objectName(pod.meta.namespace ?? 'default', pod.meta.name);
  const out: CheckChoice[] = [];
  if (pod.nodeName) out.push({ id: 'pod-node', label: `Pod ${n} is on node ${pod.nodeName}`, check: { pod: { name: n, node: pod.nodeName } } });
  const range = pod.attachment && podRange(cluster, pod.nodeName, pod.attachment.ip);
  if (pod.attachment && range) out.push({ id: 'pod-ip', label: `Pod ${n} has an IP in ${range} (it has ${formatIpv4(pod.attachment.ip)})`, check: { pod: { name: n, ipIn: range } } });
  const status = pod.status?.display ?? (pod.phase === 'Running' ? 'Running' : pod.phase);
  const reason = pod.status?.reason;
  out.push({ id: 'pod-status', label: `Pod ${n} is ${status}${reason ? ` (${reason})` : ''}`, check: { pod: { name: n, status, ...(reason ? { reason } : {}) } } });
  return out;
}

/**
 * The range a pod's address comes from: its node's PodCIDR (host-local IPAM), else the cluster's
 * pod range (Calico's and Cilium's IPAM hand out blocks of the pool, not the node's PodCIDR);
 * null when neither holds it (a host-network pod, an ENI address).
 */
function podRange(cluster: Cluster, nodeName: string, ip: Ipv4): string | null {
  const node = cluster.nodes.find((x) => x.meta.name === nodeName);
  for (const c of [node?.podCIDR, cluster.config.podCIDR]) if (c && c.contains(ip)) return c.toString();
  return null;
}

export interface Subject {
  /** The selection id the canvas uses: `ns/name`, `svc/ns/name`, `node/NAME`. */
  id: string;
  label: string;
  group: 'Pods' | 'Services' | 'Nodes';
}

/** What a check can be about: the pods (not host-network), the Services and the nodes, in the cluster's order. */
export function subjectsOf(cluster: Cluster): Subject[] {
  const pods: Subject[] = [...cluster.pods.values()].filter((p) => !p.hostNetwork).map((p) => ({ id: `${p.meta.namespace ?? 'default'}/${p.meta.name}`, label: objectName(p.meta.namespace ?? 'default', p.meta.name), group: 'Pods' }));
  const svcs: Subject[] = servicesOf(cluster).services.map((s) => ({ id: `svc/${s.namespace}/${s.name}`, label: objectName(s.namespace, s.name), group: 'Services' }));
  const nodes: Subject[] = cluster.nodes.map((n) => ({ id: `node/${n.meta.name}`, label: n.meta.name, group: 'Nodes' }));
  return [...pods, ...svcs, ...nodes];
}
