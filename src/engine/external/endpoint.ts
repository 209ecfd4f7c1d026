/**
 * Trace endpoints outside the cluster: `external` is the external client (198.51.100.10);
 * `external/<name>` names any external namespace: `external/client`, `external/internet`,
 * `external/gateway`, `external/lb/<namespace>/<service>`. And the addresses that are not where a
 * packet ends: a LoadBalancer IP or a node's NodePort is translated on the way (cloud LB,
 * kube-proxy), so a trace to one is delivered wherever the translation sends it.
 */
import type { Ipv4 } from '../addressing/ipv4';
import type { Cluster } from '../model/cluster';
import { netnsId } from '../model/ids';
import type { Netns, Network } from '../model/netns';
import { servicesOf } from '../services/table';
import { CLIENT_NETNS } from './world';

export const isExternalEndpoint = (text: string) => text === 'external' || text.startsWith('external/');

/** The namespace and address of `external[/<name>]`, or the reason it does not resolve. */
export function resolveExternal(net: Network, text: string): { netns: Netns; ip: Ipv4 } | string {
  const id = text === 'external' ? CLIENT_NETNS : netnsId.external(text.slice('external/'.length));
  const ns = net.get(id);
  if (!ns || ns.kind !== 'external') return `external namespace "${text.slice('external/'.length) || text}" not found (try external, external/client, external/internet, external/gateway or external/lb/NAMESPACE/SERVICE)`;
  const ip = ns.links.find((l) => l.kind !== 'loopback' && l.addrs.length)?.addrs[0].ip;
  if (ip === undefined) return `${text} has no address`;
  return { netns: ns, ip };
}

/**
 * True when a packet to `ip:port` is translated before it arrives: a Service's LoadBalancer or
 * external IP, or a node address on one of the Services' nodePorts.
 */
export function isTranslatedFrontend(cluster: Cluster, net: Network, ip: Ipv4, proto: string, port: number | undefined): boolean {
  if (proto === 'icmp' || port === undefined) return false;
  const table = servicesOf(cluster);
  if (table.byExternalIP.has(ip)) return true;
  const owner = net.ownerOf(ip);
  return !!owner && owner.netns.startsWith('node/') && table.byNodePort.has(`${proto.toUpperCase()}/${port}`);
}
