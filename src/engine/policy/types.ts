/**
 * A NetworkPolicy (networking.k8s.io/v1) or CiliumNetworkPolicy (cilium.io/v2) after defaulting,
 * in the shape the evaluator reads. Empty `peers` means every peer, empty `ports` every port,
 * exactly as the API defines (NetworkPolicyIngressRule.from / .ports: "If this field is empty or
 * missing, this rule matches all sources / all ports").
 */
import type { Cidr } from '../addressing/ipv4';
import type { ManifestRec } from '../model/cluster';
import type { LabelSelector } from '../model/labelSelector';

export type Direction = 'Ingress' | 'Egress';
export type PolicyProtocol = 'TCP' | 'UDP' | 'SCTP';
/** What a connection carries: NetworkPolicy ports name TCP/UDP/SCTP; ICMP only passes rules without ports. */
export type ConnProtocol = PolicyProtocol | 'ICMP';

export interface PortSpec {
  protocol: PolicyProtocol;
  /** Absent: every port of the protocol. A string is a named container port of the destination pod. */
  port?: number | string;
  endPort?: number;
}

export interface IpBlock {
  cidr: Cidr;
  except: Cidr[];
}

export interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IpBlock;
  /** CiliumNetworkPolicy entities (`world`, `cluster`, `host`, `all`). */
  entity?: string;
}

/** CiliumNetworkPolicy L7 HTTP rule (toPorts[].rules.http[]): method and path are regular expressions. */
export interface HttpRule {
  method?: string;
  path?: string;
  /** `Name` (must be present) or `Name: value` (must be equal). */
  headers?: string[];
}

export interface Rule {
  peers: Peer[];
  ports: PortSpec[];
  /** L7 rules: the port is open at L4, requests go through the proxy and must match one. */
  http?: HttpRule[];
}

export interface Policy {
  kind: 'NetworkPolicy' | 'CiliumNetworkPolicy';
  namespace: string;
  name: string;
  /** `namespace/name`. */
  id: string;
  podSelector: LabelSelector;
  /** Effective policyTypes (after the API server's defaulting). */
  types: Direction[];
  ingress: Rule[];
  egress: Rule[];
  rec: ManifestRec;
}
