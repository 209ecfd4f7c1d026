/**
 * Endpoints of a Service, as the EndpointSlice controller derives them from its selector
 * (pkg/controller/endpointslice, endpointutil.ShouldPodBeInEndpoints and podutil.FindPort), or
 * as hand-written Endpoints / EndpointSlices give them for a selector-less Service.
 *
 * - a pod is an endpoint once it has an IP (hostNetwork pods: their node's) and is not in a
 *   terminal phase; ready = pod Ready, or always with publishNotReadyAddresses; serving = pod Ready;
 * - a named targetPort resolves per pod to the container port of that name and protocol; a pod
 *   without it gets no address for that port;
 * - hostname is set when the pod's spec.hostname is set and spec.subdomain names the Service.
 * Endpoints are ordered by IP text, as Endpoints subsets sort them (addrsByIPAndUID).
 */
import { formatIpv4, parseIpv4, type Ipv4 } from '../addressing/ipv4';
import type { ManifestRec, NodeRec, PodRec } from '../model/cluster';
import { isPlainObject } from '../scenario/parseFiles';
import type { EndpointInfo, L4Protocol, ServicePortInfo } from './types';

const byIpText = (a: EndpointInfo, b: EndpointInfo) => {
  const x = formatIpv4(a.ip);
  const y = formatIpv4(b.ip);
  if (x !== y) return x < y ? -1 : 1;
  // Host-network pods of one node share its IP: their order is the pods' names (not the index's order).
  const a1 = a.pod ? `${a.pod.namespace}/${a.pod.name}` : '';
  const b1 = b.pod ? `${b.pod.namespace}/${b.pod.name}` : '';
  return a1 < b1 ? -1 : a1 > b1 ? 1 : 0;
};

export function podIpOf(pod: PodRec, nodeIp: Map<string, Ipv4>): Ipv4 | undefined {
  if (pod.hostNetwork) return pod.nodeName ? nodeIp.get(pod.nodeName) : undefined;
  return pod.attachment?.ip;
}

/** podutil.FindPort: a number is used as is; a name is looked up among the containers' ports. */
export function resolveTargetPort(pod: PodRec, port: ServicePortInfo): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  for (const c of pod.containers) for (const cp of c.ports) if (cp.name === port.targetPort && cp.protocol === port.protocol) return cp.containerPort;
  return undefined;
}

export function endpointsFromPods(pods: PodRec[], ports: ServicePortInfo[], serviceName: string, publishNotReady: boolean, nodeIp: Map<string, Ipv4>): EndpointInfo[] {
  const out: EndpointInfo[] = [];
  for (const pod of pods) {
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    const ip = podIpOf(pod, nodeIp);
    if (ip === undefined) continue;
    const ready = pod.ready && pod.phase === 'Running';
    const e: EndpointInfo = {
      ip,
      nodeName: pod.nodeName,
      pod: { namespace: pod.meta.namespace ?? 'default', name: pod.meta.name },
      ready: ready || publishNotReady,
      serving: ready,
      terminating: false,
      ports: [],
    };
    if (pod.hostname && pod.subdomain === serviceName) e.hostname = pod.hostname;
    for (const p of ports) {
      const n = resolveTargetPort(pod, p);
      if (n !== undefined) e.ports.push({ name: p.name, port: n, protocol: p.protocol });
    }
    out.push(e);
  }
  return out.sort(byIpText);
}

const protocolOf = (v: unknown): L4Protocol => (v === 'UDP' || v === 'SCTP' ? v : 'TCP');

/** A hand-written Endpoints object: addresses are ready, notReadyAddresses are not. */
export function endpointsFromEndpointsObject(rec: ManifestRec): EndpointInfo[] {
  const subsets = Array.isArray(rec.manifest.subsets) ? rec.manifest.subsets.filter(isPlainObject) : [];
  const out: EndpointInfo[] = [];
  for (const ss of subsets) {
    const ports = (Array.isArray(ss.ports) ? ss.ports.filter(isPlainObject) : []).map((p) => ({ name: typeof p.name === 'string' ? p.name : '', port: Number(p.port), protocol: protocolOf(p.protocol) }));
    for (const [list, ready] of [
      [ss.addresses, true],
      [ss.notReadyAddresses, false],
    ] as const) {
      for (const a of Array.isArray(list) ? list.filter(isPlainObject) : []) {
        const ip = typeof a.ip === 'string' ? parseIpv4(a.ip) : null;
        if (ip === null) continue;
        out.push({ ip, ...(typeof a.nodeName === 'string' ? { nodeName: a.nodeName } : {}), ...targetPod(a.targetRef, rec), ready, serving: ready, terminating: false, ...(typeof a.hostname === 'string' ? { hostname: a.hostname } : {}), ports: [...ports] });
      }
    }
  }
  return out.sort(byIpText);
}

function targetPod(ref: unknown, rec: ManifestRec): { pod?: { namespace: string; name: string } } {
  if (!isPlainObject(ref) || ref.kind !== 'Pod' || typeof ref.name !== 'string') return {};
  return { pod: { namespace: typeof ref.namespace === 'string' ? ref.namespace : (rec.meta.namespace ?? 'default'), name: ref.name } };
}

/** A hand-written EndpointSlice: conditions as given (a missing `ready` means ready). */
export function endpointsFromSlice(rec: ManifestRec): EndpointInfo[] {
  const m = rec.manifest;
  const ports = (Array.isArray(m.ports) ? m.ports.filter(isPlainObject) : []).map((p) => ({ name: typeof p.name === 'string' ? p.name : '', port: Number(p.port), protocol: protocolOf(p.protocol) }));
  const out: EndpointInfo[] = [];
  for (const e of Array.isArray(m.endpoints) ? m.endpoints.filter(isPlainObject) : []) {
    const addr = Array.isArray(e.addresses) && typeof e.addresses[0] === 'string' ? parseIpv4(e.addresses[0]) : null;
    if (addr === null) continue;
    const c = isPlainObject(e.conditions) ? e.conditions : {};
    const ready = c.ready !== false;
    out.push({
      ip: addr,
      ...(typeof e.nodeName === 'string' ? { nodeName: e.nodeName } : {}),
      ...targetPod(e.targetRef, rec),
      ready,
      serving: c.serving === undefined ? ready : c.serving !== false,
      terminating: c.terminating === true,
      ...(typeof e.hostname === 'string' ? { hostname: e.hostname } : {}),
      ports: [...ports],
    });
  }
  return out;
}

/** The API server's own endpoints for default/kubernetes: every control-plane node at :6443. */
export function apiServerEndpoints(nodes: NodeRec[]): EndpointInfo[] {
  const cps = nodes.filter((n) => n.role === 'control-plane');
  return (cps.length ? cps : nodes.slice(0, 1)).map((n) => ({
    ip: n.ip,
    ready: true,
    serving: true,
    terminating: false,
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' as const }],
  }));
}
