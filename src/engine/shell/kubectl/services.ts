/**
 * Services, Endpoints, EndpointSlices and ConfigMaps as kubectl shows them: the API objects
 * (`-o yaml|json`), the table rows of kubectl's built-in printers (printers.go printService,
 * printEndpoints, printEndpointSlice, printConfigMap) and `describe service` (describe.go
 * describeService, which reads the Service's EndpointSlices). Everything is read from the one
 * Service table (services/table.ts) that kube-proxy and DNS read too.
 */
import { formatIpv4 } from '../../addressing/ipv4';
import type { Cluster, ManifestRec, ObjectMeta } from '../../model/cluster';
import { makeUid } from '../../scenario/meta';
import { isPlainObject } from '../../scenario/parseFiles';
import { servicesOf, slicesOf, type SliceView } from '../../services/table';
import type { EndpointInfo, ServiceInfo } from '../../services/types';
import { sha256Hex } from '../../util/hash';
import { namespaceNames } from '../files';
import { DESCRIBE_TABS, tabwrite } from '../tabwriter';
import { age, createdAt } from '../time';
import { metaJson } from './objects';
import { describeEvents, eventsFor } from './events';
import type { Json } from './output';

export type ObjectKind = 'services' | 'endpoints' | 'endpointslices' | 'configmaps' | 'secrets';

export const OBJECT_SINGULAR: Record<ObjectKind, string> = {
  services: 'service',
  endpoints: 'endpoints',
  endpointslices: 'endpointslice.discovery.k8s.io',
  configmaps: 'configmap',
  secrets: 'secret',
};

/** NotFound names the resource with its group, as the API server does. */
export const OBJECT_RESOURCE: Record<ObjectKind, string> = {
  services: 'services',
  endpoints: 'endpoints',
  endpointslices: 'endpointslices.discovery.k8s.io',
  configmaps: 'configmaps',
  secrets: 'secrets',
};

/** kubectl's names and short names for these resources (discovery: svc, ep, cm). */
export function resolveObjectKind(word: string): ObjectKind | undefined {
  const w = word.toLowerCase();
  if (['svc', 'service', 'services'].includes(w)) return 'services';
  if (['ep', 'endpoints'].includes(w)) return 'endpoints';
  if (['endpointslice', 'endpointslices', 'endpointslice.discovery.k8s.io', 'endpointslices.discovery.k8s.io'].includes(w)) return 'endpointslices';
  if (['cm', 'configmap', 'configmaps'].includes(w)) return 'configmaps';
  if (['secret', 'secrets'].includes(w)) return 'secrets';
  return undefined;
}

/** One listed object: what `get` filters on, prints as a row, or renders as JSON. */
export interface ObjectItem {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  meta: ObjectMeta;
  json(): Json;
  /** The table row from NAME to AGE (and the -o wide columns). */
  cells(wide: boolean): string[];
  /** Fields beyond metadata.name/namespace a `--field-selector` can name (events: involvedObject.name …). */
  fields?: Record<string, string>;
}

export const HEADERS: Record<ObjectKind, { head: string[]; wide: string[] }> = {
  services: { head: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], wide: ['SELECTOR'] },
  endpoints: { head: ['NAME', 'ENDPOINTS', 'AGE'], wide: [] },
  endpointslices: { head: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'], wide: [] },
  configmaps: { head: ['NAME', 'DATA', 'AGE'], wide: [] },
  secrets: { head: ['NAME', 'TYPE', 'DATA', 'AGE'], wide: [] },
};

// ---------------------------------------------------------------------------------------------
// Formatting helpers from printers.go

/** labels.FormatLabels: sorted `k=v` joined by commas, `<none>` when empty. */
export function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}

/** makePortString: `80/TCP`, `80:30080/TCP`, joined by commas. */
export function portsText(svc: ServiceInfo): string {
  const s = svc.ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
  return s || '<none>';
}

/** getServiceExternalIP. */
export function externalIpText(svc: ServiceInfo): string {
  const ext = svc.externalIPs.map(formatIpv4);
  switch (svc.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = svc.loadBalancerIP !== undefined ? [formatIpv4(svc.loadBalancerIP)] : [];
      const all = [...lb, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.externalName ?? '';
  }
  return '<unknown>';
}

const clusterIpText = (svc: ServiceInfo): string => {
  const spec = specOf(svc.manifest);
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  return typeof ips[0] === 'string' ? ips[0] : '<none>';
};

function specOf(m: Record<string, unknown>): Record<string, unknown> {
  return isPlainObject(m.spec) ? m.spec : {};
}

/** Up to three items then ` + N more...` (formatEndpoints, formatDiscoveryPorts/Endpoints). */
function moreList(list: string[], count: number, empty: string): string {
  if (count > 3) return `${list.slice(0, 3).join(',')} + ${count - 3} more...`;
  return list.length ? list.join(',') : empty;
}

/** An Endpoints object's subsets: addresses grouped by the ports they serve (RepackSubsets). */
interface Subset {
  ports: EndpointInfo['ports'];
  ready: EndpointInfo[];
  notReady: EndpointInfo[];
}

function subsetsOf(svc: ServiceInfo): Subset[] {
  const groups = new Map<string, Subset>();
  for (const e of svc.endpoints) {
    const key = e.ports.map((p) => `${p.name}/${p.port}/${p.protocol}`).join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports: e.ports, ready: [], notReady: [] }));
    (e.ready ? g.ready : g.notReady).push(e);
  }
  return [...groups.values()];
}

/** formatEndpoints(endpoints, nil): ready addresses only, ip:port per port. */
function endpointsText(svc: ServiceInfo): string {
  const subsets = subsetsOf(svc);
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    if (!ss.ports.length) {
      for (const a of ss.ready) {
        if (list.length < 3) list.push(formatIpv4(a.ip));
        count++;
      }
      continue;
    }
    for (const p of ss.ports) {
      for (const a of ss.ready) {
        if (list.length < 3) list.push(`${formatIpv4(a.ip)}:${p.port}`);
        count++;
      }
    }
  }
  return moreList(list, count, '');
}

/** describe.go formatEndpointSlices for one Service port name (ready endpoints only). */
export function sliceEndpointsText(views: SliceView[], portName: string | null): string {
  if (!views.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const v of views) {
    const ports = v.ports.length ? v.ports.filter((p) => portName === null || p.name === portName) : [null];
    for (const p of ports) {
      for (const e of v.endpoints) {
        if (list.length === 3) more = true;
        if (!e.ready) continue;
        if (!more) list.push(p ? `${formatIpv4(e.ip)}:${p.port}` : formatIpv4(e.ip));
        count++;
      }
    }
  }
  return more ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

// ---------------------------------------------------------------------------------------------
// Objects

const LAST_CHANGE = 'endpoints.kubernetes.io/last-change-trigger-time';

function serviceMeta(cluster: Cluster, svc: ServiceInfo): ObjectMeta {
  return cluster.objects.get(`Service/${svc.namespace}/${svc.name}`)!.meta;
}

function derivedMeta(kind: string, name: string, svcMeta: ObjectMeta, labels: Record<string, string>): ObjectMeta {
  return { name, namespace: svcMeta.namespace, labels, annotations: {}, uid: makeUid(kind, svcMeta.namespace, name, svcMeta.creationTimestamp), creationTimestamp: svcMeta.creationTimestamp };
}

function targetRef(cluster: Cluster, e: EndpointInfo): Json | undefined {
  if (!e.pod) return undefined;
  const pod = cluster.pods.get(`${e.pod.namespace}/${e.pod.name}`);
  return { kind: 'Pod', name: e.pod.name, namespace: e.pod.namespace, ...(pod ? { uid: pod.meta.uid } : {}) };
}

export function serviceJson(cluster: Cluster, svc: ServiceInfo): Json {
  const meta = serviceMeta(cluster, svc);
  const m = svc.manifest;
  const obj: Record<string, Json> = { apiVersion: 'v1', kind: 'Service', metadata: metaJson(meta), spec: specOf(m) as Json, status: (isPlainObject(m.status) ? m.status : { loadBalancer: {} }) as Json };
  return obj;
}

/** Labels the controllers copy from the Service onto its Endpoints and EndpointSlices. */
function derivedLabels(svc: ServiceInfo, meta: ObjectMeta): Record<string, string> {
  const labels = { ...meta.labels };
  if (svc.clusterIP === null && svc.type !== 'ExternalName') labels['service.kubernetes.io/headless'] = '';
  return labels;
}

function endpointsItem(cluster: Cluster, svc: ServiceInfo): ObjectItem {
  const svcMeta = serviceMeta(cluster, svc);
  const given = cluster.objects.get(`Endpoints/${svc.namespace}/${svc.name}`);
  const meta = given?.meta ?? derivedMeta('Endpoints', svc.name, svcMeta, derivedLabels(svc, svcMeta));
  return {
    name: svc.name,
    namespace: svc.namespace,
    labels: meta.labels,
    meta,
    cells: () => [svc.name, endpointsText(svc), age(meta, cluster.now)],
    json: (): Json => {
      if (given) return { ...(given.manifest as Record<string, Json>), metadata: metaJson(given.meta) };
      const subsets = subsetsOf(svc).map((ss): Json => {
        const addr = (e: EndpointInfo): Json => {
          const a: Record<string, Json> = { ip: formatIpv4(e.ip) };
          if (e.hostname) a.hostname = e.hostname;
          if (e.nodeName) a.nodeName = e.nodeName;
          const ref = targetRef(cluster, e);
          if (ref) a.targetRef = ref;
          return a;
        };
        const s: Record<string, Json> = {};
        if (ss.ready.length) s.addresses = ss.ready.map(addr);
        if (ss.notReady.length) s.notReadyAddresses = ss.notReady.map(addr);
        if (ss.ports.length) s.ports = ss.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol }));
        return s;
      });
      const metadata = metaJson({ ...meta, annotations: svc.endpoints.length ? { [LAST_CHANGE]: lastChange(cluster, svc, meta) } : {} });
      return { apiVersion: 'v1', kind: 'Endpoints', metadata, ...(subsets.length ? { subsets } : {}) };
    },
  };
}

/** The newest of the Service's and its pods' creation times (when the controller last synced). */
function lastChange(cluster: Cluster, svc: ServiceInfo, meta: ObjectMeta): string {
  let t = createdAt(meta);
  for (const e of svc.endpoints) {
    const p = e.pod ? cluster.pods.get(`${e.pod.namespace}/${e.pod.name}`) : undefined;
    if (p) t = Math.max(t, createdAt(p.meta));
  }
  return new Date(Date.UTC(2024, 0, 1) + t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sliceItem(cluster: Cluster, svc: ServiceInfo, view: SliceView): ObjectItem {
  const svcMeta = serviceMeta(cluster, svc);
  const given = view.manifest ? cluster.objects.get(`EndpointSlice/${svc.namespace}/${view.name}`) : undefined;
  const labels = given?.meta.labels ?? { ...derivedLabels(svc, svcMeta), 'endpointslice.kubernetes.io/managed-by': view.managedBy, 'kubernetes.io/service-name': svc.name };
  const meta = given?.meta ?? derivedMeta('EndpointSlice', view.name, svcMeta, labels);
  const addresses: string[] = [];
  for (const e of view.endpoints) if (addresses.length < 3) addresses.push(formatIpv4(e.ip));
  const portsList = view.ports.map((p) => String(p.port));
  return {
    name: view.name,
    namespace: svc.namespace,
    labels,
    meta,
    cells: () => [view.name, 'IPv4', moreList(portsList, portsList.length, '<unset>'), moreList(addresses, view.endpoints.length, '<unset>'), age(meta, cluster.now)],
    json: (): Json => {
      if (given) return { ...(given.manifest as Record<string, Json>), metadata: metaJson(given.meta) };
      const apiServer = view.name === 'kubernetes' && svc.name === 'kubernetes';
      const owner = apiServer ? undefined : [{ apiVersion: 'v1', kind: 'Service', name: svc.name, uid: svc.uid, controller: true }];
      const metadata = metaJson({ ...meta, ...(owner ? { ownerReferences: owner } : {}), annotations: view.endpoints.length && !apiServer ? { [LAST_CHANGE]: lastChange(cluster, svc, meta) } : {} }, apiServer ? {} : { generateName: `${svc.name}-` });
      const endpoints = view.endpoints.map((e): Json => {
        const j: Record<string, Json> = { addresses: [formatIpv4(e.ip)], conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating } };
        if (e.hostname) j.hostname = e.hostname;
        if (e.nodeName) j.nodeName = e.nodeName;
        const ref = targetRef(cluster, e);
        if (ref) j.targetRef = ref;
        return j;
      });
      return {
        addressType: 'IPv4',
        apiVersion: 'discovery.k8s.io/v1',
        endpoints: view.endpoints.length ? endpoints : null,
        kind: 'EndpointSlice',
        metadata,
        ports: view.ports.length ? view.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })) : null,
      };
    },
  };
}

/** kube-root-ca.crt (every namespace, root-ca-cert-publisher) and kubeadm's coredns ConfigMap. */
function systemConfigMaps(cluster: Cluster): ManifestRec[] {
  const out: ManifestRec[] = [];
  const caBody = sha256Hex(`ca:${cluster.config.name}:${cluster.config.seed}`);
  const ca = `-----BEGIN CERTIFICATE-----\n${btoaAscii(caBody + caBody).match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  for (const ns of namespaceNames(cluster)) {
    const meta: ObjectMeta = { name: 'kube-root-ca.crt', namespace: ns, labels: {}, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' }, uid: makeUid('ConfigMap', ns, 'kube-root-ca.crt', '0'), creationTimestamp: String(cluster.namespaces.get(ns)?.meta.creationTimestamp ?? '0') };
    out.push({ kind: 'ConfigMap', meta, manifest: { apiVersion: 'v1', kind: 'ConfigMap', data: { 'ca.crt': ca } } });
  }
  const domain = cluster.config.clusterDomain;
  // kubeadm's CoreDNS Corefile (cmd/kubeadm/app/phases/addons/dns/manifests.go).
  const corefile = `.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes ${domain} in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n`;
  out.push({ kind: 'ConfigMap', meta: { name: 'coredns', namespace: 'kube-system', labels: {}, annotations: {}, uid: makeUid('ConfigMap', 'kube-system', 'coredns', '0'), creationTimestamp: '0' }, manifest: { apiVersion: 'v1', kind: 'ConfigMap', data: { Corefile: corefile } } });
  return out;
}

function btoaAscii(s: string): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const n = (s.charCodeAt(i) << 16) | ((s.charCodeAt(i + 1) || 0) << 8) | (s.charCodeAt(i + 2) || 0);
    out += chars[(n >> 18) & 63] + chars[(n >> 12) & 63] + (i + 1 < s.length ? chars[(n >> 6) & 63] : '=') + (i + 2 < s.length ? chars[n & 63] : '=');
  }
  return out;
}

function configMapItem(cluster: Cluster, rec: ManifestRec): ObjectItem {
  const data = isPlainObject(rec.manifest.data) ? rec.manifest.data : {};
  const binary = isPlainObject(rec.manifest.binaryData) ? rec.manifest.binaryData : {};
  return {
    name: rec.meta.name,
    namespace: rec.meta.namespace ?? 'default',
    labels: rec.meta.labels,
    meta: rec.meta,
    cells: () => [rec.meta.name, String(Object.keys(data).length + Object.keys(binary).length), age(rec.meta, cluster.now)],
    json: () => {
      const { metadata: _m, status: _s, ...rest } = rec.manifest;
      return { ...(rest as Record<string, Json>), apiVersion: 'v1', kind: 'ConfigMap', metadata: metaJson(rec.meta) };
    },
  };
}

/** Every object of a kind in the namespace (or all namespaces), in the API server's order. */
export function listObjects(cluster: Cluster, kind: ObjectKind, namespace: string | null): ObjectItem[] {
  const inNs = (ns: string) => namespace === null || ns === namespace;
  const items: ObjectItem[] = [];
  const table = servicesOf(cluster);
  if (kind === 'services') {
    for (const svc of table.services) {
      if (!inNs(svc.namespace)) continue;
      const meta = serviceMeta(cluster, svc);
      items.push({
        name: svc.name,
        namespace: svc.namespace,
        labels: meta.labels,
        meta,
        cells: (wide) => {
          const row = [svc.name, svc.type, clusterIpText(svc), externalIpText(svc), portsText(svc), age(meta, cluster.now)];
          if (wide) row.push(formatLabels(svc.selector));
          return row;
        },
        json: () => serviceJson(cluster, svc),
      });
    }
  } else if (kind === 'endpoints') {
    // The endpoints controller writes Endpoints for selector Services; the API server its own; the file may hold more.
    const seen = new Set<string>();
    for (const svc of table.services) {
      if (!inNs(svc.namespace)) continue;
      const given = cluster.objects.has(`Endpoints/${svc.namespace}/${svc.name}`);
      if (!svc.selector && !given && !(svc.namespace === 'default' && svc.name === 'kubernetes')) continue;
      if (svc.type === 'ExternalName' && !given) continue;
      seen.add(`${svc.namespace}/${svc.name}`);
      items.push(endpointsItem(cluster, svc));
    }
    for (const o of cluster.objects.values()) {
      const ns = o.meta.namespace ?? 'default';
      if (o.kind !== 'Endpoints' || !inNs(ns) || seen.has(`${ns}/${o.meta.name}`)) continue;
      items.push({ name: o.meta.name, namespace: ns, labels: o.meta.labels, meta: o.meta, cells: () => [o.meta.name, '<none>', age(o.meta, cluster.now)], json: () => ({ ...(o.manifest as Record<string, Json>), metadata: metaJson(o.meta) }) });
    }
  } else if (kind === 'endpointslices') {
    for (const svc of table.services) {
      if (!inNs(svc.namespace)) continue;
      for (const v of slicesOf(svc)) items.push(sliceItem(cluster, svc, v));
    }
  } else if (kind === 'secrets') {
    // printSecret: NAME, TYPE, DATA (the number of keys), AGE.
    for (const o of cluster.objects.values()) {
      if (o.kind !== 'Secret' || !inNs(o.meta.namespace ?? 'default')) continue;
      const data = isPlainObject(o.manifest.data) ? o.manifest.data : {};
      const type = typeof o.manifest.type === 'string' ? o.manifest.type : 'Opaque';
      items.push({
        name: o.meta.name,
        namespace: o.meta.namespace ?? 'default',
        labels: o.meta.labels,
        meta: o.meta,
        cells: () => [o.meta.name, type, String(Object.keys(data).length), age(o.meta, cluster.now)],
        json: () => {
          const { metadata: _m, status: _s, ...rest } = o.manifest;
          return { ...(rest as Record<string, Json>), apiVersion: 'v1', kind: 'Secret', metadata: metaJson(o.meta), type };
        },
      });
    }
  } else {
    for (const o of cluster.objects.values()) if (o.kind === 'ConfigMap' && inNs(o.meta.namespace ?? 'default')) items.push(configMapItem(cluster, o));
    const user = new Set(items.map((i) => `${i.namespace}/${i.name}`));
    for (const o of systemConfigMaps(cluster)) if (inNs(o.meta.namespace!) && !user.has(`${o.meta.namespace}/${o.meta.name}`)) items.push(configMapItem(cluster, o));
  }
  return items.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// describe service

function mapLines(title: string, m: Record<string, string>, sep: string): string[] {
  const keys = Object.keys(m).sort();
  if (!keys.length) return [`${title}\t<none>`];
  return keys.map((k, i) => `${i === 0 ? title : ''}\t${k}${sep}${m[k]}`);
}

export function describeService(cluster: Cluster, svc: ServiceInfo): string {
  const meta = serviceMeta(cluster, svc);
  const spec = specOf(svc.manifest);
  const l: string[] = [
    `Name:\t${svc.name}`,
    `Namespace:\t${svc.namespace}`,
    ...mapLines('Labels:', meta.labels, '='),
    ...mapLines('Annotations:', meta.annotations, ': '),
    `Selector:\t${formatLabels(svc.selector)}`,
    `Type:\t${svc.type}`,
  ];
  if (typeof spec.ipFamilyPolicy === 'string') l.push(`IP Family Policy:\t${spec.ipFamilyPolicy}`);
  const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies.join(',') : '';
  l.push(`IP Families:\t${families || '<none>'}`);
  l.push(`IP:\t${typeof spec.clusterIP === 'string' ? spec.clusterIP : ''}`);
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.join(',') : '';
  l.push(`IPs:\t${ips || '<none>'}`);
  if (svc.externalIPs.length) l.push(`External IPs:\t${svc.externalIPs.map(formatIpv4).join(',')}`);
  if (typeof spec.loadBalancerIP === 'string' && spec.loadBalancerIP) l.push(`Desired LoadBalancer IP:\t${spec.loadBalancerIP}`);
  if (svc.externalName) l.push(`External Name:\t${svc.externalName}`);
  if (svc.loadBalancerIP !== undefined) l.push(`LoadBalancer Ingress:\t${formatIpv4(svc.loadBalancerIP)} (VIP)`);
  const views = slicesOf(svc);
  for (const p of svc.ports) {
    const name = p.name || '<unset>';
    l.push(`Port:\t${name}\t${p.port}/${p.protocol}`);
    l.push(`TargetPort:\t${p.targetPort}/${p.protocol}`);
    if (p.appProtocol) l.push(`AppProtocol:\t${p.appProtocol}`);
    if (p.nodePort) l.push(`NodePort:\t${name}\t${p.nodePort}/${p.protocol}`);
    l.push(`Endpoints:\t${sliceEndpointsText(views, p.name)}`);
  }
  l.push(`Session Affinity:\t${svc.sessionAffinity}`);
  if (typeof spec.externalTrafficPolicy === 'string') l.push(`External Traffic Policy:\t${spec.externalTrafficPolicy}`);
  if (typeof spec.internalTrafficPolicy === 'string') l.push(`Internal Traffic Policy:\t${spec.internalTrafficPolicy}`);
  if (svc.healthCheckNodePort) l.push(`HealthCheck NodePort:\t${svc.healthCheckNodePort}`);
  if (Array.isArray(spec.loadBalancerSourceRanges) && spec.loadBalancerSourceRanges.length) l.push(`LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}`);
  const ev = describeEvents(cluster, eventsFor(cluster, 'Service', svc.namespace, svc.name));
  if (ev.line) return tabwrite([...l, ev.line].join('\n') + '\n', DESCRIBE_TABS);
  return tabwrite(l.join('\n') + '\n', DESCRIBE_TABS) + ev.block;
}
