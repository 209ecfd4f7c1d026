/**
 * `servicesOf(cluster)`: every Service with its addresses and endpoints, built once per Cluster
 * object (commands return new Cluster objects, so the WeakMap never serves a stale table).
 * Services are listed as the API server lists them (by namespace, then name). Linear in
 * pods x labels + Services x (selector candidates); no Service scans all pods.
 *
 * EndpointSlices are derived, not stored: one slice per distinct port mapping, at most 100
 * endpoints each (the controller's --max-endpoints-per-slice default), an empty placeholder for
 * a selector Service with no endpoints. Their names are generateName's `<service>-<5 chars>`,
 * from a random source seeded by the cluster seed and the Service's namespace/name, so a slice
 * keeps its name when other objects change. default/kubernetes has the API server's own slice,
 * named `kubernetes`.
 */
import { parseIpv4, type Ipv4 } from '../addressing/ipv4';
import type { Cluster, ManifestRec } from '../model/cluster';
import { isPlainObject } from '../scenario/parseFiles';
import { K8S_NAME_ALPHABET, Rng } from '../sim/rng';
import { fnv32a } from '../util/hash';
import { DEFAULT_AFFINITY_TIMEOUT } from './allocate';
import { apiServerEndpoints, endpointsFromEndpointsObject, endpointsFromPods, endpointsFromSlice } from './endpoints';
import { PodIndex } from './podIndex';
import { proxySourceRanges } from './sourceRanges';
import type { EndpointInfo, L4Protocol, ServiceInfo, ServicePortInfo, ServiceTable, ServiceType } from './types';

/** kube-controller-manager --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** names.SimpleNameGenerator: the base is cut so base + 5 random characters fit 63. */
const MAX_GENERATED_BASE = 58;

/** One EndpointSlice of a Service, as kubectl shows it. */
export interface SliceView {
  name: string;
  /** Who manages it: the EndpointSlice controller, the mirroring controller, the API server, or the file. */
  managedBy: string;
  ports: { name: string; port: number; protocol: L4Protocol }[];
  endpoints: EndpointInfo[];
  /** The hand-written object, when the file has one. */
  manifest?: Record<string, unknown>;
}

const tables = new WeakMap<Cluster, ServiceTable>();
const slices = new WeakMap<ServiceInfo, SliceView[]>();

export function servicesOf(cluster: Cluster): ServiceTable {
  let t = tables.get(cluster);
  if (!t) {
    t = buildTable(cluster);
    tables.set(cluster, t);
  }
  return t;
}

/** The EndpointSlices of a Service (computed with the table). */
export function slicesOf(info: ServiceInfo): SliceView[] {
  return slices.get(info) ?? [];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const protocolOf = (v: unknown): L4Protocol => (v === 'UDP' || v === 'SCTP' ? v : 'TCP');

function portsOf(spec: Record<string, unknown>): ServicePortInfo[] {
  const raw = Array.isArray(spec.ports) ? spec.ports.filter(isPlainObject) : [];
  return raw.map((p) => {
    const port = Number(p.port);
    const tp = p.targetPort;
    const info: ServicePortInfo = {
      name: str(p.name) ?? '',
      protocol: protocolOf(p.protocol),
      port,
      targetPort: typeof tp === 'number' ? tp : typeof tp === 'string' && tp !== '' ? (/^\d+$/.test(tp) ? Number(tp) : tp) : port,
    };
    if (typeof p.nodePort === 'number' && p.nodePort > 0) info.nodePort = p.nodePort;
    if (str(p.appProtocol)) info.appProtocol = p.appProtocol as string;
    return info;
  });
}

function selectorOf(spec: Record<string, unknown>): Record<string, string> | undefined {
  if (!isPlainObject(spec.selector)) return undefined;
  const keys = Object.keys(spec.selector);
  if (!keys.length) return undefined;
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = String(spec.selector[k]);
  return out;
}

function ipList(v: unknown): Ipv4[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => {
    const ip = typeof x === 'string' ? parseIpv4(x) : null;
    return ip === null ? [] : [ip];
  });
}

/** generateName suffixes for one Service, from the cluster seed and its namespace/name. */
function sliceNamer(seed: number, namespace: string, name: string): () => string {
  const rng = new Rng((fnv32a(`endpointslice/${namespace}/${name}`) ^ seed) | 0);
  const base = `${name}-`.slice(0, MAX_GENERATED_BASE);
  return () => base + rng.string(5, K8S_NAME_ALPHABET);
}

/** Group endpoints by their port mapping, at most MAX_ENDPOINTS_PER_SLICE per slice. */
function groupIntoSlices(eps: EndpointInfo[], nextName: () => string, managedBy: string): SliceView[] {
  const groups = new Map<string, EndpointInfo[]>();
  for (const e of eps) {
    const key = e.ports.map((p) => `${p.name}/${p.port}/${p.protocol}`).join(',');
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }
  const out: SliceView[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.length; i += MAX_ENDPOINTS_PER_SLICE) out.push({ name: nextName(), managedBy, ports: g[0].ports, endpoints: g.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
  }
  // A selector Service with no endpoints still gets one empty slice (the controller's placeholder).
  if (!out.length) out.push({ name: nextName(), managedBy, ports: [], endpoints: [] });
  return out;
}

export const CONTROLLER = 'endpointslice-controller.k8s.io';
export const MIRRORING = 'endpointslicemirroring-controller.k8s.io';

/** Node name → InternalIP, one map per nodes array (commands that leave the nodes alone share it). */
const nodeIps = new WeakMap<Cluster['nodes'], Map<string, Ipv4>>();
function nodeIpOf(cluster: Cluster): Map<string, Ipv4> {
  let m = nodeIps.get(cluster.nodes);
  if (!m) nodeIps.set(cluster.nodes, (m = new Map(cluster.nodes.map((n) => [n.meta.name, n.ip] as [string, Ipv4]))));
  return m;
}

interface TableContext {
  cluster: Cluster;
  pods: PodIndex;
  nodeIp: Map<string, Ipv4>;
  givenSlices: Map<string, ManifestRec[]>;
  givenEndpoints: Map<string, ManifestRec>;
}

/**
 * One Service as the table holds it, computed alone: what the EndpointSlice controller does for a
 * Service when its pods change (the pod index follows the cluster, so this does not grow with it).
 * The table's own entry when the table was built already.
 */
export function serviceInfoOf(cluster: Cluster, namespace: string, name: string): ServiceInfo | undefined {
  const built = tables.get(cluster);
  if (built) return built.byName.get(`${namespace}/${name}`);
  const rec = cluster.objects.get(`Service/${namespace}/${name}`);
  if (!rec) return undefined;
  const givenSlices = new Map<string, ManifestRec[]>();
  const spec = isPlainObject(rec.manifest.spec) ? rec.manifest.spec : {};
  if (!selectorOf(spec)) {
    for (const o of cluster.objects.values()) {
      if (o.kind === 'EndpointSlice' && (o.meta.namespace ?? 'default') === namespace && o.meta.labels['kubernetes.io/service-name'] === name) givenSlices.set(`${namespace}/${name}`, [...(givenSlices.get(`${namespace}/${name}`) ?? []), o]);
    }
  }
  const endpoints = cluster.objects.get(`Endpoints/${namespace}/${name}`);
  const givenEndpoints = new Map<string, ManifestRec>(endpoints ? [[`${namespace}/${name}`, endpoints]] : []);
  return serviceInfo(rec, { cluster, pods: PodIndex.of(cluster), nodeIp: nodeIpOf(cluster), givenSlices, givenEndpoints });
}

function buildTable(cluster: Cluster): ServiceTable {
  const pods = PodIndex.of(cluster);
  const nodeIp = nodeIpOf(cluster);
  // Hand-written EndpointSlices by `namespace/service`, Endpoints by `namespace/name`.
  const givenSlices = new Map<string, ManifestRec[]>();
  const givenEndpoints = new Map<string, ManifestRec>();
  const services: ManifestRec[] = [];
  for (const o of cluster.objects.values()) {
    const ns = o.meta.namespace ?? 'default';
    if (o.kind === 'Service') services.push(o);
    else if (o.kind === 'Endpoints') givenEndpoints.set(`${ns}/${o.meta.name}`, o);
    else if (o.kind === 'EndpointSlice') {
      const svc = o.meta.labels['kubernetes.io/service-name'];
      if (!svc) continue;
      const key = `${ns}/${svc}`;
      const list = givenSlices.get(key);
      if (list) list.push(o);
      else givenSlices.set(key, [o]);
    }
  }
  services.sort((a, b) => cmp(a.meta.namespace ?? '', b.meta.namespace ?? '') || cmp(a.meta.name, b.meta.name));

  const table: ServiceTable = { services: [], byName: new Map(), byClusterIP: new Map(), byNodePort: new Map(), byExternalIP: new Map() };
  const ctx: TableContext = { cluster, pods, nodeIp, givenSlices, givenEndpoints };
  for (const rec of services) {
    const info = serviceInfo(rec, ctx);
    const ns = info.namespace;
    const name = info.name;
    table.services.push(info);
    table.byName.set(`${ns}/${name}`, info);
    if (info.clusterIP !== null) table.byClusterIP.set(info.clusterIP, info);
    for (const p of info.ports) if (p.nodePort) table.byNodePort.set(`${p.protocol}/${p.nodePort}`, info);
    if (info.loadBalancerIP !== undefined) table.byExternalIP.set(info.loadBalancerIP, info);
    for (const ip of info.externalIPs) table.byExternalIP.set(ip, info);
  }
  return table;
}

function serviceInfo(rec: ManifestRec, { cluster, pods, nodeIp, givenSlices, givenEndpoints }: TableContext): ServiceInfo {
  const seed = cluster.config.seed;
  const ns = rec.meta.namespace ?? 'default';
  const name = rec.meta.name;
  const spec = isPlainObject(rec.manifest.spec) ? rec.manifest.spec : {};
  const type = (str(spec.type) ?? 'ClusterIP') as ServiceType;
  const ports = portsOf(spec);
  const selector = selectorOf(spec);
  const clusterIPText = str(spec.clusterIP);
  const clusterIP = type === 'ExternalName' || !clusterIPText || clusterIPText === 'None' ? null : parseIpv4(clusterIPText);
  const affinityCfg = isPlainObject(spec.sessionAffinityConfig) && isPlainObject(spec.sessionAffinityConfig.clientIP) ? spec.sessionAffinityConfig.clientIP : {};
  const status = isPlainObject(rec.manifest.status) ? rec.manifest.status : {};
  const lb = isPlainObject(status.loadBalancer) && Array.isArray(status.loadBalancer.ingress) ? status.loadBalancer.ingress : [];
  const lbIp = lb.length && isPlainObject(lb[0]) && typeof lb[0].ip === 'string' ? parseIpv4(lb[0].ip) : null;
  const publishNotReady = spec.publishNotReadyAddresses === true;

  let views: SliceView[] = [];
  if (type !== 'ExternalName' || selector) {
    const nextName = sliceNamer(seed, ns, name);
    if (selector) {
      views = groupIntoSlices(endpointsFromPods(pods.select(ns, selector), ports, name, publishNotReady, nodeIp), nextName, CONTROLLER);
    } else if (givenSlices.has(`${ns}/${name}`)) {
      views = givenSlices.get(`${ns}/${name}`)!.map((o) => {
        const eps = endpointsFromSlice(o);
        return { name: o.meta.name, managedBy: o.meta.labels['endpointslice.kubernetes.io/managed-by'] ?? '', ports: eps[0]?.ports ?? slicePorts(o), endpoints: eps, manifest: o.manifest };
      });
    } else if (givenEndpoints.has(`${ns}/${name}`)) {
      const eps = endpointsFromEndpointsObject(givenEndpoints.get(`${ns}/${name}`)!);
      if (eps.length) views = groupIntoSlices(eps, nextName, MIRRORING);
    } else if (ns === 'default' && name === 'kubernetes') {
      const eps = apiServerEndpoints(cluster.nodes);
      views = [{ name: 'kubernetes', managedBy: CONTROLLER, ports: eps[0]?.ports ?? [], endpoints: eps }];
    }
  }

  const info: ServiceInfo = {
    namespace: ns,
    name,
    uid: rec.meta.uid,
    type,
    clusterIP,
    externalIPs: ipList(spec.externalIPs),
    loadBalancerSourceRanges: proxySourceRanges(spec),
    ports,
    sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
    sessionAffinityTimeout: typeof affinityCfg.timeoutSeconds === 'number' ? affinityCfg.timeoutSeconds : DEFAULT_AFFINITY_TIMEOUT,
    externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    internalTrafficPolicy: spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    publishNotReadyAddresses: publishNotReady,
    endpoints: views.flatMap((v) => v.endpoints),
    endpointSlices: views.map((v) => v.name),
    manifest: rec.manifest,
  };
  if (type === 'ExternalName' && str(spec.externalName)) info.externalName = spec.externalName as string;
  if (lbIp !== null) info.loadBalancerIP = lbIp;
  if (selector) info.selector = selector;
  if (typeof spec.healthCheckNodePort === 'number') info.healthCheckNodePort = spec.healthCheckNodePort;
  if (rec.source) info.source = rec.source;
  slices.set(info, views);
  return info;
}

function slicePorts(o: ManifestRec): SliceView['ports'] {
  const ports = Array.isArray(o.manifest.ports) ? o.manifest.ports.filter(isPlainObject) : [];
  return ports.map((p) => ({ name: str(p.name) ?? '', port: Number(p.port), protocol: protocolOf(p.protocol) }));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
