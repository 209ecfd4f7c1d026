/**
 * Services as kube-proxy, CoreDNS and the shell see them: each Service with its allocated
 * addresses and its endpoints (from EndpointSlices the cluster holds or derives from the
 * selector and pod readiness). `servicesOf(cluster)` in services/table.ts builds this once per
 * cluster; every consumer (kube-proxy rules, DNS records, kubectl) reads the same table.
 */
import type { Cidr, Ipv4 } from '../addressing/ipv4';
import type { SourceRef } from '../model/source';

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
export type L4Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServicePortInfo {
  /** '' when the Service has a single unnamed port. */
  name: string;
  protocol: L4Protocol;
  port: number;
  /** As written: a number or a container port name (resolved per endpoint in EndpointInfo.ports). */
  targetPort: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface EndpointInfo {
  ip: Ipv4;
  nodeName?: string;
  /** The pod behind the endpoint (absent for hand-written Endpoints pointing elsewhere). */
  pod?: { namespace: string; name: string };
  /** EndpointSlice conditions. */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  hostname?: string;
  /** Resolved target port per Service port name ('' for the unnamed port); a port the pod lacks is absent. */
  ports: { name: string; port: number; protocol: L4Protocol }[];
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  uid: string;
  type: ServiceType;
  /** null for headless (`clusterIP: None`) and ExternalName Services. */
  clusterIP: Ipv4 | null;
  externalName?: string;
  /** status.loadBalancer.ingress[0].ip from the simulated cloud load balancer. */
  loadBalancerIP?: Ipv4;
  externalIPs: Ipv4[];
  /**
   * spec.loadBalancerSourceRanges as kube-proxy reads them (services/sourceRanges.ts): trimmed,
   * parsed, IPv4 only; the annotation is not read. Empty when unset.
   */
  loadBalancerSourceRanges: Cidr[];
  ports: ServicePortInfo[];
  /** undefined: no selector (endpoints come from hand-written Endpoints/EndpointSlices). */
  selector?: Record<string, string>;
  sessionAffinity: 'None' | 'ClientIP';
  /** sessionAffinityConfig.clientIP.timeoutSeconds (default 10800). */
  sessionAffinityTimeout: number;
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  healthCheckNodePort?: number;
  publishNotReadyAddresses: boolean;
  /** All endpoints, ready or not, in EndpointSlice order. */
  endpoints: EndpointInfo[];
  /** The EndpointSlice names holding them (`web-abc12`). */
  endpointSlices: string[];
  manifest: Record<string, unknown>;
  source?: SourceRef;
}

export interface ServiceTable {
  services: ServiceInfo[];
  /** `namespace/name`. */
  byName: Map<string, ServiceInfo>;
  byClusterIP: Map<Ipv4, ServiceInfo>;
  /** `TCP/30080`. */
  byNodePort: Map<string, ServiceInfo>;
  /** LoadBalancer ingress IPs and externalIPs. */
  byExternalIP: Map<Ipv4, ServiceInfo>;
}
