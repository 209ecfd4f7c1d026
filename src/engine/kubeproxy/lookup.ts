/**
 * The hash lookups IPVS, nftables (the service-ips verdict map) and Cilium (lb4_services_v2)
 * do instead of a rule walk: frontend (address, protocol, port) → Service port. Built once per
 * node ruleset.
 */
import { fmix32, fnv32aUnits } from '../util/hash';
import type { Ipv4 } from '../addressing/ipv4';
import type { PortEndpoint, ServicePortView } from './endpoints';

export interface Frontend {
  view: ServicePortView;
  kind: 'ClusterIP' | 'ExternalIP' | 'LoadBalancer' | 'NodePort';
}

const cache = new WeakMap<ServicePortView[], Map<string, Frontend>>();

export const frontendKey = (proto: string, ip: Ipv4 | '*', port: number) => `${proto.toLowerCase()}|${ip}|${port}`;

export function frontends(views: ServicePortView[]): Map<string, Frontend> {
  let m = cache.get(views);
  if (!m) {
    m = new Map();
    for (const v of views) {
      m.set(frontendKey(v.proto, v.svc.clusterIP!, v.port.port), { view: v, kind: 'ClusterIP' });
      for (const ip of v.svc.externalIPs) m.set(frontendKey(v.proto, ip, v.port.port), { view: v, kind: 'ExternalIP' });
      if (v.svc.loadBalancerIP !== undefined) m.set(frontendKey(v.proto, v.svc.loadBalancerIP, v.port.port), { view: v, kind: 'LoadBalancer' });
      if (v.port.nodePort !== undefined) m.set(frontendKey(v.proto, '*', v.port.nodePort), { view: v, kind: 'NodePort' });
    }
    cache.set(views, m);
  }
  return m;
}

/** The endpoints a frontend balances over on this node (traffic policies applied). */
export function backendsFor(f: Frontend): PortEndpoint[] {
  const v = f.view;
  if (f.kind === 'ClusterIP') return v.svc.internalTrafficPolicy === 'Local' ? v.local : v.cluster;
  return v.svc.externalTrafficPolicy === 'Local' ? v.local : v.cluster;
}

/** FNV-1a then murmur3's fmix32, so nearby keys (seeds 1, 2, 3...) spread over the whole 32-bit range. */
export function mixedHash(text: string): number {
  return fmix32(fnv32aUnits(text));
}

/** Deterministic pick: the connection key (or the client IP, with ClientIP affinity) hashed with the cluster seed. */
export function pickIndex(seed: number, key: string, n: number): number {
  return n <= 0 ? -1 : mixedHash(`${seed}/${key}`) % n;
}
