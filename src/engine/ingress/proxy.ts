/**
 * A request through ingress-nginx, as two TCP connections, each traced hop by hop:
 * 1. the client → the address it connected to (the controller Service's LoadBalancer IP, a
 *    node's NodePort, …) → delivered to an ingress-nginx controller pod;
 * 2. nginx picks the Ingress rule for the Host header and path (route.ts) and opens a NEW
 *    connection from the controller pod to one of the backend Service's endpoints, pod IP and
 *    target port directly: ingress-nginx balances over the EndpointSlices itself (its Lua
 *    balancer, round robin by default), so no ClusterIP and no kube-proxy DNAT is on this leg.
 * The endpoint is picked by a hash of the client connection (deterministic per request).
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { Cluster, PodRec } from '../model/cluster';
import type { TraceRequest, TraceResult } from '../trace/traceTypes';
import { fnv32a } from '../util/hash';
import { isIngressNginxPod } from './controller';
import { routeIngress, type IngressRoute } from './route';

export interface IngressTrace {
  /** Client → controller. */
  client: TraceResult;
  /** The controller pod that took the connection (absent when the client leg did not reach one). */
  controller?: PodRec;
  route?: IngressRoute;
  /** The endpoint nginx chose. */
  upstream?: { ip: string; port: number; pod?: string };
  /** Controller → backend pod. */
  proxied?: TraceResult;
  /** One line: what happened (shown by the CLI and curl -v). */
  summary: string;
}

export type TraceFn = (cluster: Cluster, req: TraceRequest) => TraceResult;

/** The pod a delivered trace ended in (`pod/<ns>/<name>` namespaces). */
export function deliveredPod(cluster: Cluster, t: TraceResult): PodRec | undefined {
  if (t.verdict !== 'delivered') return undefined;
  const last = t.hops[t.hops.length - 1];
  const m = last ? /^pod\/([^/]+)\/(.+)$/.exec(last.netns) : null;
  return m ? cluster.pods.get(`${m[1]}/${m[2]}`) : undefined;
}

export function traceIngress(cluster: Cluster, trace: TraceFn, req: TraceRequest & { host: string; path: string }): IngressTrace {
  const { host, path, ...tcp } = req;
  const client = trace(cluster, { ...tcp, proto: 'tcp' });
  const controller = deliveredPod(cluster, client);
  if (!controller || !isIngressNginxPod(controller)) {
    const where = client.verdict === 'delivered' ? `reached ${client.hops[client.hops.length - 1]?.netns}, not an ingress-nginx controller` : `${client.verdict}: ${client.reason ?? ''}`;
    return { client, summary: `the connection to ${req.to}:${req.port ?? 80} ${where}` };
  }
  const route = routeIngress(cluster, host, path);
  const who = `${controller.meta.namespace}/${controller.meta.name}`;
  if (route.status || !route.endpoints.length) return { client, controller, route, summary: `${who}: ${route.explain}` };
  const first = client.hops[0]?.packet;
  const i = fnv32a(`${cluster.config.seed}/ingress/${first?.src}:${first?.srcPort}/${host}${path}`) % route.endpoints.length;
  const { ep, port } = route.endpoints[i];
  const upstream = { ip: formatIpv4(ep.ip), port, ...(ep.pod ? { pod: `${ep.pod.namespace}/${ep.pod.name}` } : {}) };
  const proxied = trace(cluster, { from: who, to: upstream.ip, proto: 'tcp', port });
  const n = route.endpoints.length;
  return {
    client,
    controller,
    route,
    upstream,
    proxied,
    summary: `${who}: ${route.explain}; nginx proxies to endpoint ${upstream.ip}:${port}${upstream.pod ? ` (${upstream.pod})` : ''}${n > 1 ? `, ${i + 1} of ${n}` : ''}, a new connection from ${formatIpv4(controller.attachment?.ip ?? 0)}`,
  };
}
