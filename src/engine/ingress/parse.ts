/** Reading validated Ingress and IngressClass manifests into the router's shapes (ingress/types.ts). */
import type { Cluster, ManifestRec } from '../model/cluster';
import type { IngressBackendRef, IngressClassInfo, IngressInfo, IngressPath, PathType } from './types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export function readBackend(v: unknown): IngressBackendRef | undefined {
  if (!isObj(v)) return undefined;
  const out: IngressBackendRef = {};
  if (isObj(v.service)) {
    const port = isObj(v.service.port) ? v.service.port : {};
    out.service = {
      name: String(v.service.name ?? ''),
      port: { ...(typeof port.number === 'number' ? { number: port.number } : {}), ...(str(port.name) ? { name: port.name as string } : {}) },
    };
  }
  if (isObj(v.resource)) out.resource = { ...(str(v.resource.apiGroup) ? { apiGroup: v.resource.apiGroup as string } : {}), kind: String(v.resource.kind ?? ''), name: String(v.resource.name ?? '') };
  return out;
}

export function readIngress(rec: ManifestRec): IngressInfo {
  const m = rec.manifest;
  const spec = isObj(m.spec) ? m.spec : {};
  const className = str(spec.ingressClassName) ?? str(rec.meta.annotations[LEGACY_CLASS_ANNOTATION]);
  const rules = list(spec.rules).map((r) => {
    const http = isObj(r.http) ? r.http : {};
    const paths: IngressPath[] = list(http.paths).map((p) => ({
      // An omitted path is "/" for Prefix/Exact after defaulting; ImplementationSpecific keeps '' (matches all).
      path: typeof p.path === 'string' ? p.path : '',
      pathType: (str(p.pathType) ?? 'ImplementationSpecific') as PathType,
      backend: readBackend(p.backend) ?? {},
    }));
    return { host: str(r.host) ?? '', paths };
  });
  const defaultBackend = readBackend(spec.defaultBackend);
  return {
    namespace: rec.meta.namespace ?? 'default',
    name: rec.meta.name,
    ...(className ? { className } : {}),
    ...(defaultBackend ? { defaultBackend } : {}),
    rules,
    tls: list(spec.tls).map((t) => ({ hosts: Array.isArray(t.hosts) ? t.hosts.map(String) : [], ...(str(t.secretName) ? { secretName: t.secretName as string } : {}) })),
    manifest: m,
  };
}

export function readIngressClass(rec: ManifestRec): IngressClassInfo {
  const spec = isObj(rec.manifest.spec) ? rec.manifest.spec : {};
  return { name: rec.meta.name, controller: String(spec.controller ?? ''), isDefault: rec.meta.annotations[DEFAULT_CLASS_ANNOTATION] === 'true' };
}

const byName = (a: { namespace?: string; name: string }, b: { namespace?: string; name: string }) =>
  (a.namespace ?? '').localeCompare(b.namespace ?? '') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const ingressCache = new WeakMap<Cluster, IngressInfo[]>();

/** Every Ingress of the cluster, by namespace then name (the API server's list order). */
export function ingressesOf(cluster: Cluster): IngressInfo[] {
  let l = ingressCache.get(cluster);
  if (!l) {
    l = [];
    for (const o of cluster.objects.values()) if (o.kind === 'Ingress') l.push(readIngress(o));
    l.sort(byName);
    ingressCache.set(cluster, l);
  }
  return l;
}

export function ingressClassesOf(cluster: Cluster): IngressClassInfo[] {
  const out: IngressClassInfo[] = [];
  for (const o of cluster.objects.values()) if (o.kind === 'IngressClass') out.push(readIngressClass(o));
  return out.sort(byName);
}
