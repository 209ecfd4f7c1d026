/**
 * `kubectl get|describe ingress` (short name ing) and `kubectl get ingressclass`: the items get.ts
 * prints in every output format, with the columns of
 * kubectl's printers (printers.go printIngress: NAME CLASS HOSTS ADDRESS PORTS AGE, no wide
 * columns; printIngressClass: NAME CONTROLLER PARAMETERS AGE) and the layout of describe.go
 * describeIngressV1 (Default backend, TLS, the Rules table with each backend's endpoints).
 * ADDRESS is what ingress-nginx publishes (--publish-service): its controller Service's
 * LoadBalancer IP, on the Ingresses it serves.
 */
import { formatIpv4 } from '../../addressing/ipv4';
import type { Cluster, ManifestRec } from '../../model/cluster';
import { INGRESS_NGINX_NAME, INGRESS_NGINX_NAMESPACE } from '../../ingress/controller';
import { readIngress } from '../../ingress/parse';
import { servedIngresses } from '../../ingress/route';
import type { IngressBackendRef, IngressInfo } from '../../ingress/types';
import { servicesOf, slicesOf } from '../../services/table';
import { DESCRIBE_TABS, tabwrite } from '../tabwriter';
import { age } from '../time';
import { fail, out, type Ctx, type Out } from '../types';
import { metaJson } from './objects';
import type { Json } from './output';
import { sliceEndpointsText, type ObjectItem } from './services';

type Resource = 'ingresses' | 'ingressclasses';

export function resourceOf(word: string): Resource | undefined {
  const w = word.toLowerCase();
  if (['ing', 'ingress', 'ingresses', 'ingress.networking.k8s.io', 'ingresses.networking.k8s.io'].includes(w)) return 'ingresses';
  if (['ingressclass', 'ingressclasses', 'ingressclass.networking.k8s.io', 'ingressclasses.networking.k8s.io'].includes(w)) return 'ingressclasses';
  return undefined;
}


const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function recordsOf(cluster: Cluster, kind: 'Ingress' | 'IngressClass', namespace: string | undefined): ManifestRec[] {
  const l: ManifestRec[] = [];
  for (const o of cluster.objects.values()) if (o.kind === kind && (namespace === undefined || (o.meta.namespace ?? 'default') === namespace)) l.push(o);
  return l.sort((a, b) => cmp(a.meta.namespace ?? '', b.meta.namespace ?? '') || cmp(a.meta.name, b.meta.name));
}

/** The address ingress-nginx writes into status.loadBalancer of the Ingresses it serves. */
function addressOf(cluster: Cluster, ing: IngressInfo): string[] {
  if (!servedIngresses(cluster).some((i) => i.namespace === ing.namespace && i.name === ing.name)) return [];
  const svc = servicesOf(cluster).byName.get(`${INGRESS_NGINX_NAMESPACE}/${INGRESS_NGINX_NAME}`);
  return svc?.loadBalancerIP !== undefined ? [formatIpv4(svc.loadBalancerIP)] : [];
}

/** printers.go formatHosts: up to four hosts, then ` + N more...`; `*` for none. */
function hostsText(ing: IngressInfo): string {
  const hosts = ing.rules.map((r) => r.host).filter((h) => h !== '');
  if (!hosts.length) return '*';
  const max = 4;
  return hosts.length > max ? `${hosts.slice(0, max).join(',')} + ${hosts.length - max} more...` : hosts.join(',');
}

/** ingressLoadBalancerStatusStringer: cut to 16 characters with `...` when not wide. */
function addressText(ips: string[], wide: boolean): string {
  const r = ips.join(',');
  return !wide && r.length > 16 ? `${r.slice(0, 13)}...` : r;
}

function ingressJson(cluster: Cluster, o: ManifestRec): Json {
  const ips = addressOf(cluster, readIngress(o));
  const status = { loadBalancer: ips.length ? { ingress: ips.map((ip) => ({ ip })) } : {} };
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: metaJson(o.meta, { generation: 1 }), spec: (o.manifest.spec ?? {}) as Json, status } as Json;
}

function ingressClassJson(o: ManifestRec): Json {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: metaJson(o.meta, { generation: 1 }), spec: (o.manifest.spec ?? {}) as Json };
}

/** `kubectl get ingresses` items for get.ts (printIngress; ADDRESS cut to 16 characters unless -o wide). */
export function listIngresses(cluster: Cluster, namespace: string | null): ObjectItem[] {
  return recordsOf(cluster, 'Ingress', namespace ?? undefined).map((x) => {
    const ing = readIngress(x);
    const cls = typeof (x.manifest.spec as Record<string, unknown> | undefined)?.ingressClassName === 'string' ? ((x.manifest.spec as Record<string, unknown>).ingressClassName as string) : '<none>';
    return {
      name: x.meta.name,
      namespace: ing.namespace,
      labels: x.meta.labels,
      meta: x.meta,
      json: () => ingressJson(cluster, x),
      cells: (wide: boolean) => [ing.name, cls, hostsText(ing), addressText(addressOf(cluster, ing), wide), ing.tls.length ? '80, 443' : '80', age(x.meta, cluster.now)],
    };
  });
}

/** `kubectl get ingressclasses` items (cluster-scoped; printIngressClass). */
export function listIngressClasses(cluster: Cluster): ObjectItem[] {
  return recordsOf(cluster, 'IngressClass', undefined).map((x) => {
    const spec = (x.manifest.spec ?? {}) as Record<string, unknown>;
    return {
      name: x.meta.name,
      namespace: '',
      labels: x.meta.labels,
      meta: x.meta,
      json: () => ingressClassJson(x),
      cells: () => [x.meta.name, String(spec.controller ?? ''), spec.parameters ? JSON.stringify(spec.parameters) : '<none>', age(x.meta, cluster.now)],
    };
  });
}

export const INGRESS_HEADERS = {
  ingresses: { head: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'], wide: [] as string[] },
  ingressclasses: { head: ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'], wide: [] as string[] },
};

/** describe.go describeBackendV1: `svc:port (endpoints)`, or the lookup error in its place. */
function backendText(cluster: Cluster, ns: string, b: IngressBackendRef | undefined): string {
  if (b?.service) {
    const sb = `${b.service.name}:${b.service.port.name ?? b.service.port.number ?? 0}`;
    const svc = servicesOf(cluster).byName.get(`${ns}/${b.service.name}`);
    if (!svc) return `${sb} (<error: services "${b.service.name}" not found>)`;
    let spName = '';
    for (const sp of svc.ports) {
      if ((b.service.port.number && b.service.port.number === sp.port) || (b.service.port.name && b.service.port.name === sp.name)) spName = sp.name;
    }
    return `${sb} (${sliceEndpointsText(slicesOf(svc), spName)})`;
  }
  if (b?.resource) return `APIGroup: ${b.resource.apiGroup ?? '<none>'}, Kind: ${b.resource.kind}, Name: ${b.resource.name}`;
  return '';
}

function mapLines(title: string, m: Record<string, string>, sep: string): string[] {
  const keys = Object.keys(m).sort();
  if (!keys.length) return [`${title}\t<none>`];
  return keys.map((k, i) => `${i === 0 ? title : ''}\t${k}${sep}${m[k]}`);
}

export function describeIngress(cluster: Cluster, o: ManifestRec): string {
  const ing = readIngress(o);
  const spec = (o.manifest.spec ?? {}) as Record<string, unknown>;
  const def = ing.defaultBackend ? backendText(cluster, ing.namespace, ing.defaultBackend) : '<default>';
  const l: string[] = [`Name:\t${ing.name}`, ...mapLines('Labels:', o.meta.labels, '='), `Namespace:\t${ing.namespace}`, `Address:\t${addressOf(cluster, ing).join(',')}`];
  l.push(`Ingress Class:\t${typeof spec.ingressClassName === 'string' ? spec.ingressClassName : '<none>'}`);
  l.push(`Default backend:\t${def}`);
  if (ing.tls.length) {
    l.push('TLS:');
    for (const t of ing.tls) l.push(t.secretName ? `  ${t.secretName} terminates ${t.hosts.join(',')}` : `  SNI routes ${t.hosts.join(',')}`);
  }
  l.push('Rules:', '  Host\tPath\tBackends', '  ----\t----\t--------');
  let count = 0;
  const rawRules = Array.isArray(spec.rules) ? (spec.rules as Record<string, unknown>[]) : [];
  ing.rules.forEach((r, i) => {
    if (!rawRules[i] || typeof rawRules[i].http !== 'object') return;
    count++;
    l.push(`  ${r.host || '*'}\t`);
    for (const p of r.paths) l.push(`    \t${p.path} \t${backendText(cluster, ing.namespace, p.backend)}`);
  });
  if (!count) l.push(`  *\t*\t${def}`);
  l.push(...mapLines('Annotations:', o.meta.annotations, ': '));
  l.push('Events:\t<none>');
  return tabwrite(l.join('\n') + '\n', DESCRIBE_TABS);
}

interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | true>;
}

function namesOf(positional: string[]): { resource: Resource; names: string[] } | null {
  if (!positional.length) return null;
  if (positional[0].includes('/')) {
    const kinds = positional.map((t) => resourceOf(t.split('/')[0]));
    if (!kinds[0] || !kinds.every((k) => k === kinds[0])) return null;
    return { resource: kinds[0], names: positional.map((t) => t.split('/')[1]) };
  }
  const resource = resourceOf(positional[0]);
  return resource ? { resource, names: positional.slice(1) } : null;
}

/** kubectl describe for Ingresses and IngressClasses (get lists them through get.ts); undefined when the command is about another resource. */
export function kubectlIngress(p: ParsedArgs, ctx: Ctx): Out | undefined {
  const r = namesOf(p.positional);
  if (!r) return undefined;
  const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);
  const namespace = str(p.flags.namespace) ?? 'default';
  const all = p.flags['all-namespaces'] === true;
  const cluster = ctx.session.cluster;
  if (r.resource === 'ingressclasses') {
    const items = recordsOf(cluster, 'IngressClass', undefined).filter((o) => !r.names.length || r.names.some((n) => o.meta.name.startsWith(n)));
    if (!items.length) return fail(r.names.length ? `Error from server (NotFound): ingressclasses.networking.k8s.io "${r.names[0]}" not found` : 'No resources found');
    return out(
      items
        .map((o) => {
          const spec = (o.manifest.spec ?? {}) as Record<string, unknown>;
          return tabwrite([`Name:\t${o.meta.name}`, ...mapLines('Labels:', o.meta.labels, '='), ...mapLines('Annotations:', o.meta.annotations, ': '), `Controller:\t${String(spec.controller ?? '')}`, 'Events:\t<none>'].join('\n') + '\n', DESCRIBE_TABS);
        })
        .join('\n\n'),
    );
  }
  const inNs = recordsOf(cluster, 'Ingress', all ? undefined : namespace);
  const exact = inNs.filter((o) => r.names.includes(o.meta.name));
  const items = exact.length ? exact : inNs.filter((o) => !r.names.length || r.names.some((n) => o.meta.name.startsWith(n)));
  if (!items.length) return fail(r.names.length ? `Error from server (NotFound): ingresses.networking.k8s.io "${r.names[0]}" not found` : `No resources found in ${namespace} namespace.`);
  return out(items.map((o) => describeIngress(cluster, o)).join('\n\n'));
}
