/**
 * What ingress-nginx does with a request's Host and path: `routeIngress(cluster, host, path)`.
 *
 * Which Ingresses the controller serves: those of class `nginx` (spec.ingressClassName, or the
 * legacy kubernetes.io/ingress.class annotation), and those without a class only when IngressClass
 * nginx is marked default (ingressclass.kubernetes.io/is-default-class: "true"); ingress-nginx
 * ignores the rest (--watch-ingress-without-class=false, its default).
 *
 * Matching, as the Ingress specification and nginx's server/location selection give it:
 * 1. host: an exact rule host first, then a wildcard (`*.example.com` matches exactly one more
 *    label: `a.example.com`, not `example.com` nor `a.b.example.com`), then the rules without host
 *    (they match every host); the paths of every Ingress for that host are merged;
 * 2. path, among the host's paths: the longest matching path wins; of equally long ones, Exact
 *    beats Prefix (kubernetes.io/docs/concepts/services-networking/ingress "Multiple matches").
 *    Exact compares the whole path; Prefix compares '/'-separated elements (`/foo` matches `/foo`,
 *    `/foo/`, `/foo/bar`, not `/foobar`; a trailing slash in the rule is ignored);
 *    ImplementationSpecific is nginx's plain `location` prefix (`/foo` matches `/foobar` too);
 * 3. nothing matched: the host's Ingress defaultBackend, else the controller's default backend
 *    (404 Not Found from nginx).
 * The backend Service's port (number or name) is resolved to the endpoints nginx proxies to
 * directly (the controller reads EndpointSlices; it never goes through the ClusterIP).
 */
import type { Cluster } from '../model/cluster';
import { servicesOf } from '../services/table';
import type { EndpointInfo, ServiceInfo, ServicePortInfo } from '../services/types';
import { ingressClassesOf, ingressesOf } from './parse';
import type { IngressBackendRef, IngressInfo, PathType } from './types';

export const NGINX_CLASS = 'nginx';

export interface IngressMatch {
  ingress: IngressInfo;
  /** The rule's host ('' for a rule without host), and the path that matched; absent for a defaultBackend. */
  host?: string;
  path?: string;
  pathType?: PathType;
  /** `spec.rules[0].http.paths[1]` or `spec.defaultBackend`. */
  field: string;
}

export interface IngressRoute {
  /** The rule that matched, or none (the controller's default backend answers 404). */
  match?: IngressMatch;
  backend?: { service: string; port: string; namespace: string };
  /** The Service and port when they exist. */
  service?: ServiceInfo;
  servicePort?: ServicePortInfo;
  /** Ready endpoints, each with the resolved target port. */
  endpoints: { ep: EndpointInfo; port: number }[];
  /** The HTTP status nginx answers with when it cannot proxy: 404 (no rule), 503 (no Service or endpoints). */
  status?: 404 | 503;
  /** One line naming what matched and why, for traces and curl -v. */
  explain: string;
}

/** The Ingresses ingress-nginx serves, and why others are ignored. */
export function servedIngresses(cluster: Cluster): IngressInfo[] {
  const nginxDefault = ingressClassesOf(cluster).some((c) => c.name === NGINX_CLASS && c.isDefault);
  return ingressesOf(cluster).filter((i) => (i.className === undefined ? nginxDefault : i.className === NGINX_CLASS));
}

function hostMatches(ruleHost: string, host: string): 'exact' | 'wildcard' | 'any' | null {
  if (ruleHost === '') return 'any';
  if (ruleHost === host) return 'exact';
  if (ruleHost.startsWith('*.')) {
    const suffix = ruleHost.slice(1);
    const first = host.indexOf('.');
    if (first > 0 && host.slice(first) === suffix) return 'wildcard';
  }
  return null;
}

/** Does a rule path match the request path, and how long is the match (for precedence)? */
export function pathMatches(rulePath: string, pathType: PathType, path: string): boolean {
  if (pathType === 'Exact') return path === rulePath;
  if (pathType === 'ImplementationSpecific') return path.startsWith(rulePath || '/');
  const trim = (p: string) => p.split('/').filter((s) => s !== '');
  const rule = trim(rulePath);
  const req = trim(path);
  if (rule.length > req.length) return false;
  for (let i = 0; i < rule.length; i++) if (rule[i] !== req[i]) return false;
  return true;
}

/** Host without port, lowercased (nginx matches server_name case-insensitively). */
function normalHost(host: string): string {
  return host.replace(/:\d+$/, '').toLowerCase();
}

function backendOf(cluster: Cluster, ns: string, ref: IngressBackendRef | undefined): Pick<IngressRoute, 'backend' | 'service' | 'servicePort' | 'endpoints' | 'status'> & { why: string } {
  if (!ref?.service) return { endpoints: [], status: 503, why: ref?.resource ? `resource backend ${ref.resource.kind}/${ref.resource.name} (not a Service: ingress-nginx does not serve it)` : 'no backend' };
  const portText = ref.service.port.name ?? String(ref.service.port.number ?? '');
  const backend = { service: ref.service.name, port: portText, namespace: ns };
  const svc = servicesOf(cluster).byName.get(`${ns}/${ref.service.name}`);
  if (!svc) return { backend, endpoints: [], status: 503, why: `service "${ns}/${ref.service.name}" not found: 503 Service Temporarily Unavailable` };
  const sp = svc.ports.find((p) => (ref.service!.port.name ? p.name === ref.service!.port.name : p.port === ref.service!.port.number));
  if (!sp) return { backend, service: svc, endpoints: [], status: 503, why: `service ${ns}/${svc.name} has no port ${portText}: 503 Service Temporarily Unavailable` };
  const endpoints: IngressRoute['endpoints'] = [];
  for (const ep of svc.endpoints) {
    if (!ep.ready) continue;
    const p = ep.ports.find((x) => x.name === sp.name);
    if (p) endpoints.push({ ep, port: p.port });
  }
  if (!endpoints.length) return { backend, service: svc, servicePort: sp, endpoints, status: 503, why: `service ${ns}/${svc.name} has no ready endpoints: 503 Service Temporarily Unavailable` };
  return { backend, service: svc, servicePort: sp, endpoints, why: `${endpoints.length} ready endpoint${endpoints.length > 1 ? 's' : ''}` };
}

interface Candidate {
  ingress: IngressInfo;
  host: string;
  path: string;
  pathType: PathType;
  backend: IngressBackendRef;
  field: string;
}

export function routeIngress(cluster: Cluster, host: string, path: string): IngressRoute {
  const h = normalHost(host);
  const reqPath = (path.split('?')[0] || '/').startsWith('/') ? path.split('?')[0] || '/' : `/${path}`;
  const served = servedIngresses(cluster);
  // The rules of the most specific host class that has any rule for this host.
  let best: 'exact' | 'wildcard' | 'any' | null = null;
  const rank = { exact: 0, wildcard: 1, any: 2 } as const;
  for (const ing of served) for (const r of ing.rules) {
    const m = hostMatches(r.host.toLowerCase(), h);
    if (m && (best === null || rank[m] < rank[best])) best = m;
  }
  const candidates: Candidate[] = [];
  const hostIngresses: IngressInfo[] = [];
  if (best) {
    for (const ing of served) {
      ing.rules.forEach((r, i) => {
        if (hostMatches(r.host.toLowerCase(), h) !== best) return;
        if (!hostIngresses.includes(ing)) hostIngresses.push(ing);
        r.paths.forEach((p, j) => candidates.push({ ingress: ing, host: r.host, path: p.path, pathType: p.pathType, backend: p.backend, field: `spec.rules[${i}].http.paths[${j}]` }));
      });
    }
  }
  const matching = candidates.filter((c) => pathMatches(c.path, c.pathType, reqPath));
  // Longest path first; at equal length Exact before Prefix/ImplementationSpecific; then API order.
  matching.sort((a, b) => b.path.length - a.path.length || Number(b.pathType === 'Exact') - Number(a.pathType === 'Exact'));
  const hit = matching[0];
  if (hit) {
    const b = backendOf(cluster, hit.ingress.namespace, hit.backend);
    const hostText = hit.host || '*';
    return {
      match: { ingress: hit.ingress, host: hit.host, path: hit.path, pathType: hit.pathType, field: hit.field },
      ...b,
      explain: `ingress ${hit.ingress.namespace}/${hit.ingress.name} ${hit.field}: host ${hostText} path ${hit.path || '/'} (${hit.pathType}) → service ${hit.ingress.namespace}/${hit.backend.service?.name ?? '?'}:${b.backend?.port ?? '?'}; ${b.why}`,
    };
  }
  // No path matched: the defaultBackend of an Ingress for this host (or of any served Ingress), else 404.
  const withDefault = [...hostIngresses, ...served].find((i) => i.defaultBackend);
  if (withDefault) {
    const b = backendOf(cluster, withDefault.namespace, withDefault.defaultBackend);
    return {
      match: { ingress: withDefault, field: 'spec.defaultBackend' },
      ...b,
      explain: `no rule matches host ${h || '""'} path ${reqPath}: ingress ${withDefault.namespace}/${withDefault.name} spec.defaultBackend → service ${withDefault.namespace}/${withDefault.defaultBackend!.service?.name ?? '?'}:${b.backend?.port ?? '?'}; ${b.why}`,
    };
  }
  const ignored = ingressesOf(cluster).length - served.length;
  return {
    endpoints: [],
    status: 404,
    explain: `no Ingress rule matches host ${h || '""'} path ${reqPath}: the controller's default backend answers 404 Not Found${ignored ? ` (${ignored} Ingress${ignored > 1 ? 'es' : ''} ignored: not of class nginx)` : ''}`,
  };
}
