/**
 * The addresses kube-proxy's IPVS proxier binds to the dummy device kube-ipvs0. Apart from
 * ipvs.ts because drawing a node's devices needs them and nothing else of the proxier.
 */
import type { Ipv4 } from '../addressing/ipv4';
import type { ServicePortView } from './endpoints';

/** Addresses kube-ipvs0 holds: ClusterIPs, external IPs, LB IPs, in Service order. */
export function ipvsBoundIps(views: ServicePortView[]): Ipv4[] {
  const seen = new Set<Ipv4>();
  for (const v of views) {
    seen.add(v.svc.clusterIP!);
    for (const ip of v.svc.externalIPs) seen.add(ip);
    if (v.svc.loadBalancerIP !== undefined) seen.add(v.svc.loadBalancerIP);
  }
  return [...seen];
}
