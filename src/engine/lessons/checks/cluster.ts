/**
 * Checks on the cluster's objects: pods, nodes, manifests, Services (their EndpointSlice-ready
 * endpoints), events and node sysctls. Each reads the Cluster the engine built; the words for a
 * pod's state are the STATUS column `kubectl get pods` prints (podStatusColumn).
 */
import { Cidr, formatIpv4, parseIpv4 } from '../../addressing/ipv4';
import { networkOf } from '../../cni/network';
import { netnsId } from '../../model/ids';
import type { Cluster } from '../../model/cluster';
import { selectorMatches } from '../../model/labelSelector';
import { servicesOf } from '../../services/table';
import { podStatusColumn } from '../../shell/kubectl/get';
import { podIp } from '../../shell/kubectl/objects';
import type { CheckResult, Count, EventCheck, NodeCheck, ObjectCheck, PodCheck, PodsCheck, ServiceCheck, SysctlCheck } from '../types';

export const pass = (kind: string, message: string): CheckResult => ({ pass: true, kind, message });
export const failed = (kind: string, message: string): CheckResult => ({ pass: false, kind, message });

/** `[ns/]name` → namespace and name (namespace `default`). */
export function splitName(text: string): { namespace: string; name: string } {
  const i = text.indexOf('/');
  return i < 0 ? { namespace: 'default', name: text } : { namespace: text.slice(0, i), name: text.slice(i + 1) };
}

export function countMatches(c: Count, n: number): boolean {
  if (typeof c === 'number') return n === c;
  return (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
}

export function countText(c: Count): string {
  if (typeof c === 'number') return String(c);
  if (c.min !== undefined && c.max !== undefined) return `${c.min} to ${c.max}`;
  return c.min !== undefined ? `at least ${c.min}` : `at most ${c.max}`;
}

const labelsText = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(',');
const hasLabels = (have: Record<string, string>, want: Record<string, string>) => Object.entries(want).every(([k, v]) => have[k] === v);

export function checkPod(c: PodCheck, cluster: Cluster): CheckResult {
  const { namespace, name } = splitName(c.name);
  const key = `${namespace}/${name}`;
  const p = cluster.pods.get(key);
  const want = c.exists ?? true;
  if (!p) return want ? failed('pod', `expected pod ${key} to exist; there is no such pod`) : pass('pod', `pod ${key} does not exist`);
  if (!want) return failed('pod', `expected pod ${key} not to exist; it does (on ${p.nodeName || 'no node'})`);
  const problems: string[] = [];
  const facts: string[] = [];
  if (c.node !== undefined) {
    facts.push(`on ${c.node}`);
    if (p.nodeName !== c.node) problems.push(`it is on ${p.nodeName || 'no node'}, not ${c.node}`);
  }
  if (c.ipIn !== undefined) {
    const ip = podIp(cluster, p);
    facts.push(`with an IP in ${c.ipIn}`);
    const range = Cidr.parse(c.ipIn);
    if (ip === undefined) problems.push('it has no IP');
    else if (!range?.contains(parseIpv4(ip)!)) problems.push(`its IP ${ip} is not in ${c.ipIn}`);
  }
  const status = podStatusColumn(p);
  if (c.status !== undefined) {
    facts.push(`with STATUS ${c.status}`);
    if (status !== c.status) problems.push(`its STATUS is ${status}`);
  }
  if (c.reason !== undefined) {
    facts.push(`with reason ${c.reason}`);
    if (p.status?.reason !== c.reason) problems.push(p.status?.reason ? `its reason is ${p.status.reason}` : 'it has no reason (it is not stuck)');
  }
  if (c.labels) {
    facts.push(`labelled ${labelsText(c.labels)}`);
    if (!hasLabels(p.meta.labels, c.labels)) problems.push(`its labels are ${labelsText(p.meta.labels) || '(none)'}`);
  }
  const what = `pod ${key}${facts.length ? ' ' + facts.join(', ') : ''}`;
  return problems.length ? failed('pod', `expected ${what}; ${problems.join('; ')}`) : pass('pod', `${what}`);
}

export function checkPods(c: PodsCheck, cluster: Cluster): CheckResult {
  const matching = [...cluster.pods.values()].filter(
    (p) =>
      (c.namespace === undefined || (p.meta.namespace ?? 'default') === c.namespace) &&
      (!c.selector || selectorMatches({ matchLabels: c.selector, matchExpressions: [] }, p.meta.labels)) &&
      (c.node === undefined || p.nodeName === c.node) &&
      (c.status === undefined || podStatusColumn(p) === c.status),
  );
  const where = [c.namespace !== undefined ? `in ${c.namespace}` : '', c.selector ? `matching ${labelsText(c.selector)}` : '', c.node !== undefined ? `on ${c.node}` : '', c.status !== undefined ? `with STATUS ${c.status}` : ''].filter(Boolean).join(' ');
  const msg = `${countText(c.count)} pods${where ? ' ' + where : ''}`;
  const n = matching.length;
  return countMatches(c.count, n) ? pass('pods', `${msg}: ${n}`) : failed('pods', `expected ${msg}; found ${n}${n && n <= 5 ? ` (${matching.map((p) => p.meta.name).join(', ')})` : ''}`);
}

export function checkNode(c: NodeCheck, cluster: Cluster): CheckResult {
  const n = cluster.nodes.find((x) => x.meta.name === c.name);
  if (!n) return failed('node', `expected node ${c.name}; there is no such node`);
  const problems: string[] = [];
  if (c.podCIDR !== undefined && n.podCIDR?.toString() !== Cidr.parse(c.podCIDR)?.toString()) problems.push(`its PodCIDR is ${n.podCIDR?.toString() ?? '<none>'}, not ${c.podCIDR}`);
  if (c.unschedulable !== undefined && !!n.unschedulable !== c.unschedulable) problems.push(n.unschedulable ? 'it is cordoned (SchedulingDisabled)' : 'it is schedulable');
  if (c.labels && !hasLabels(n.meta.labels, c.labels)) problems.push(`it is not labelled ${labelsText(c.labels)}`);
  const taints = (n.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
  for (const t of c.taints ?? []) if (!taints.includes(t)) problems.push(`it has no taint ${t} (taints: ${taints.join(', ') || '<none>'})`);
  return problems.length ? failed('node', `expected node ${c.name} to match; ${problems.join('; ')}`) : pass('node', `node ${c.name} matches`);
}

/** The value at a dotted path (`spec.ports.0.port`) of a manifest. */
function at(o: unknown, path: string): unknown {
  let v: unknown = o;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** An object as the cluster holds it: Services, NetworkPolicies … whole; workloads, pods, nodes and namespaces by record. */
function objectOf(cluster: Cluster, kind: string, namespace: string, name: string): Record<string, unknown> | undefined {
  const m = cluster.objects.get(`${kind}/${namespace}/${name}`) ?? cluster.objects.get(`${kind}//${name}`);
  if (m) return { ...m.manifest, metadata: { ...((m.manifest.metadata as object) ?? {}), labels: m.meta.labels, annotations: m.meta.annotations } };
  const w = cluster.workloads.get(`${kind}/${namespace}/${name}`) ?? [...cluster.workloads.values()].find((x) => x.kind === kind && x.meta.name === name && (x.meta.namespace ?? 'default') === namespace);
  if (w) return { ...w.manifest, spec: { ...((w.manifest.spec as object) ?? {}), replicas: w.replicas } };
  if (kind === 'Namespace') return cluster.namespaces.has(name) ? { metadata: { name } } : undefined;
  if (kind === 'Node') {
    const n = cluster.nodes.find((x) => x.meta.name === name);
    return n ? { metadata: { name, labels: n.meta.labels }, spec: { podCIDR: n.podCIDR?.toString(), unschedulable: n.unschedulable ?? false } } : undefined;
  }
  if (kind === 'Pod') {
    const p = cluster.pods.get(`${namespace}/${name}`);
    return p ? { metadata: { name, namespace, labels: p.meta.labels }, spec: { nodeName: p.nodeName, hostNetwork: p.hostNetwork }, status: { phase: p.phase, podIP: podIp(cluster, p) } } : undefined;
  }
  return undefined;
}

export function checkObject(c: ObjectCheck, cluster: Cluster): CheckResult {
  const namespace = c.namespace ?? (c.name.includes('/') ? splitName(c.name).namespace : 'default');
  const name = c.name.includes('/') ? splitName(c.name).name : c.name;
  const o = objectOf(cluster, c.kind, namespace, name);
  const id = `${c.kind} ${namespace}/${name}`;
  const want = c.exists ?? true;
  if (!o) return want ? failed('object', `expected ${id} to exist; it does not`) : pass('object', `${id} does not exist`);
  if (!want) return failed('object', `expected ${id} not to exist; it does`);
  const wrong = Object.entries(c.fields ?? {})
    .filter(([path, v]) => JSON.stringify(at(o, path)) !== JSON.stringify(v) && String(at(o, path)) !== String(v))
    .map(([path, v]) => `${path} is ${JSON.stringify(at(o, path)) ?? 'unset'}, not ${JSON.stringify(v)}`);
  return wrong.length ? failed('object', `expected ${id} with ${Object.keys(c.fields ?? {}).join(', ')} set; ${wrong.join('; ')}`) : pass('object', `${id} exists${c.fields ? ' with those fields' : ''}`);
}

export function checkService(c: ServiceCheck, cluster: Cluster): CheckResult {
  const { namespace, name } = splitName(c.name);
  const s = servicesOf(cluster).byName.get(`${namespace}/${name}`);
  if (!s) return failed('service', `expected Service ${namespace}/${name}; there is no such Service`);
  const problems: string[] = [];
  if (c.type !== undefined && s.type !== c.type) problems.push(`its type is ${s.type}`);
  if (c.clusterIPIn !== undefined && (s.clusterIP === null || !Cidr.parse(c.clusterIPIn)?.contains(s.clusterIP))) problems.push(`its ClusterIP ${s.clusterIP === null ? 'None' : formatIpv4(s.clusterIP)} is not in ${c.clusterIPIn}`);
  const ready = s.endpoints.filter((e) => e.ready).length;
  if (c.endpoints !== undefined && !countMatches(c.endpoints, ready)) problems.push(`it has ${ready} ready endpoint${ready === 1 ? '' : 's'}, expected ${countText(c.endpoints)}${s.selector && ready === 0 ? ` (selector ${labelsText(s.selector)})` : ''}`);
  return problems.length ? failed('service', `expected Service ${namespace}/${name} to match; ${problems.join('; ')}`) : pass('service', `Service ${namespace}/${name} (${s.type}, ${ready} ready endpoints)`);
}

export function checkEvent(c: EventCheck, cluster: Cluster): CheckResult {
  const want = { ...(c.name !== undefined ? splitName(c.name) : {}) };
  const found = (cluster.events ?? []).find(
    (e) =>
      e.reason === c.reason &&
      (c.kind === undefined || e.involvedObject.kind === c.kind) &&
      (c.name === undefined || (e.involvedObject.name === want.name && (!c.name.includes('/') || (e.involvedObject.namespace ?? 'default') === want.namespace))) &&
      (c.type === undefined || e.type === c.type) &&
      (c.messageIncludes === undefined || e.message.includes(c.messageIncludes)),
  );
  const what = `a ${c.type ?? ''}${c.type ? ' ' : ''}event ${c.reason}${c.kind ? ` on a ${c.kind}` : ''}${c.name ? ` ${c.name}` : ''}${c.messageIncludes ? ` saying "${c.messageIncludes}"` : ''}`;
  return found ? pass('event', `${what}: ${found.message}`) : failed('event', `expected ${what}; none was recorded`);
}

export function checkSysctl(c: SysctlCheck, cluster: Cluster): CheckResult {
  if (!cluster.nodes.some((n) => n.meta.name === c.node)) return failed('sysctl', `expected node ${c.node}; there is no such node`);
  // The node namespace as the CNI and kube-proxy built it, with the `sysctl -w` overrides applied.
  const value = networkOf(cluster).get(netnsId.node(c.node))?.sysctl[c.key];
  return value === c.value ? pass('sysctl', `${c.key} = ${value} on ${c.node}`) : failed('sysctl', `expected ${c.key} = ${c.value} on ${c.node}; it is ${value ?? 'unset'}`);
}
