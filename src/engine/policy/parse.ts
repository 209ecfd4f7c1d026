/**
 * ManifestRec → Policy. The manifest was validated on load (validate.ts), so this only reads
 * and defaults: policyTypes as SetDefaults_NetworkPolicySpec does it (pkg/apis/networking/v1/
 * defaults.go: Ingress always, Egress when `egress` has rules), port protocol TCP.
 * CiliumNetworkPolicy is mapped onto the same shape (ciliumPolicy.ts).
 */
import { Cidr } from '../addressing/ipv4';
import type { Cluster, ManifestRec } from '../model/cluster';
import { readCiliumPolicy } from './ciliumPolicy';
import { readSelector } from '../model/labelSelector';
import type { Direction, Peer, Policy, PolicyProtocol, PortSpec, Rule } from './types';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function readPorts(v: unknown): PortSpec[] {
  return list(v).map((x) => {
    const p = obj(x);
    const spec: PortSpec = { protocol: (typeof p.protocol === 'string' ? p.protocol : 'TCP') as PolicyProtocol };
    if (typeof p.port === 'number') spec.port = p.port;
    else if (typeof p.port === 'string') spec.port = /^\d+$/.test(p.port) ? Number(p.port) : p.port;
    if (typeof p.endPort === 'number') spec.endPort = p.endPort;
    return spec;
  });
}

function readPeer(v: unknown): Peer {
  const o = obj(v);
  const peer: Peer = {};
  if (o.podSelector !== undefined && o.podSelector !== null) peer.podSelector = readSelector(o.podSelector);
  if (o.namespaceSelector !== undefined && o.namespaceSelector !== null) peer.namespaceSelector = readSelector(o.namespaceSelector);
  if (o.ipBlock !== undefined && o.ipBlock !== null) {
    const b = obj(o.ipBlock);
    const cidr = Cidr.parse(String(b.cidr ?? '')) ?? new Cidr(0, 32);
    peer.ipBlock = { cidr, except: list(b.except).flatMap((e) => Cidr.parse(String(e)) ?? []) };
  }
  return peer;
}

function readRules(v: unknown, peersField: 'from' | 'to'): Rule[] {
  return list(v).map((x) => {
    const r = obj(x);
    return { peers: list(r[peersField]).map(readPeer), ports: readPorts(r.ports) };
  });
}

export function readNetworkPolicy(rec: ManifestRec): Policy {
  const spec = obj(rec.manifest.spec);
  const namespace = rec.meta.namespace ?? 'default';
  const ingress = readRules(spec.ingress, 'from');
  const egress = readRules(spec.egress, 'to');
  let types: Direction[];
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length) types = spec.policyTypes.map(String) as Direction[];
  else types = egress.length ? ['Ingress', 'Egress'] : ['Ingress'];
  return { kind: 'NetworkPolicy', namespace, name: rec.meta.name, id: `${namespace}/${rec.meta.name}`, podSelector: readSelector(spec.podSelector), types, ingress, egress, rec };
}

/** Every policy of the cluster, in the API server's list order (namespace, then name). */
export function policiesOf(cluster: Cluster): Policy[] {
  const out: Policy[] = [];
  for (const rec of cluster.objects.values()) {
    if (rec.kind === 'NetworkPolicy') out.push(readNetworkPolicy(rec));
    else if (rec.kind === 'CiliumNetworkPolicy') out.push(readCiliumPolicy(rec));
  }
  return out.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind) || cmp(a.name, b.name));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
