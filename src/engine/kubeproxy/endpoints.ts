/**
 * The endpoints kube-proxy programs for one Service port on one node
 * (pkg/proxy/topology.go CategorizeEndpoints, without topology hints): ready endpoints, or
 * when none is ready the serving-and-terminating ones; the Local set is those on this node.
 * Order: by `ip:port` string, as the EndpointSliceCache sorts them (endpointslicecache.go
 * byEndpoint), which is also the order of the KUBE-SVC rules.
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { EndpointInfo, ServiceInfo, ServicePortInfo } from '../services/types';
import { servicePortName } from './hash';

export interface PortEndpoint {
  ip: Ipv4;
  port: number;
  /** `10.244.1.5:80` (BaseEndpointInfo.String()). */
  text: string;
  nodeName?: string;
  info: EndpointInfo;
}

export interface ServicePortView {
  svc: ServiceInfo;
  port: ServicePortInfo;
  /** `ns/name:port`. */
  name: string;
  /** Lowercase, as kube-proxy hashes and matches it. */
  proto: 'tcp' | 'udp' | 'sctp';
  all: PortEndpoint[];
  cluster: PortEndpoint[];
  local: PortEndpoint[];
}

export function portEndpoints(svc: ServiceInfo, port: ServicePortInfo): PortEndpoint[] {
  const out: PortEndpoint[] = [];
  for (const e of svc.endpoints) {
    const p = e.ports.find((x) => x.name === port.name && x.protocol === port.protocol);
    if (!p) continue;
    out.push({ ip: e.ip, port: p.port, text: `${formatIpv4(e.ip)}:${p.port}`, ...(e.nodeName ? { nodeName: e.nodeName } : {}), info: e });
  }
  return out.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/** Every proxied Service port (ClusterIP set, not ExternalName), sorted by name then protocol. */
export function servicePorts(services: ServiceInfo[], nodeName: string): ServicePortView[] {
  const views: ServicePortView[] = [];
  for (const svc of services) {
    if (svc.type === 'ExternalName' || svc.clusterIP === null) continue;
    for (const port of svc.ports) {
      const all = portEndpoints(svc, port);
      const ready = all.filter((e) => e.info.ready);
      const cluster = ready.length ? ready : all.filter((e) => e.info.serving && e.info.terminating);
      views.push({
        svc,
        port,
        name: servicePortName(svc.namespace, svc.name, port.name),
        proto: port.protocol.toLowerCase() as ServicePortView['proto'],
        all,
        cluster,
        local: cluster.filter((e) => e.nodeName === nodeName),
      });
    }
  }
  return views.sort((a, b) => (a.name + a.proto < b.name + b.proto ? -1 : a.name + a.proto > b.name + b.proto ? 1 : 0));
}
