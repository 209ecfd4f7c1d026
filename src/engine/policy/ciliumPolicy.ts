/**
 * CiliumNetworkPolicy (cilium.io/v2) read onto the evaluator's Policy shape. Cilium's rules
 * (docs.cilium.io "Layer 3/4/7 examples"): `endpointSelector` picks the endpoints; an ingress
 * rule ORs fromEndpoints / fromCIDR(Set) / fromEntities; a rule with only `toPorts` allows any
 * peer on those ports; an empty rule `{}` allows nothing but puts the endpoint in default deny
 * for that direction. Selector keys may carry a source prefix (`k8s:app`, `any:app`); the
 * namespace is the label `io.kubernetes.pod.namespace` (default: the policy's namespace).
 * L7 `toPorts[].rules.http[]` (method, path: regular expressions; headers) go to the HTTP proxy (l7http.ts).
 */
import { Cidr } from '../addressing/ipv4';
import type { ManifestRec } from '../model/cluster';
import { readSelector, type LabelSelector } from '../model/labelSelector';
import type { Direction, HttpRule, Peer, Policy, PolicyProtocol, PortSpec, Rule } from './types';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const CILIUM_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
/** A peer that matches nothing (the empty rule `{}`). */
export const NO_PEER: Peer = { entity: 'none' };

const stripSource = (key: string) => key.replace(/^(k8s|any|container|reserved):/, '');

/** An endpoint selector → pod selector plus the namespace it pins (if any). */
function endpointPeer(v: unknown): Peer {
  const s = readSelector(v);
  const matchLabels: Record<string, string> = {};
  let namespace: string | undefined;
  for (const [k, val] of Object.entries(s.matchLabels)) {
    const key = stripSource(k);
    if (key === CILIUM_NAMESPACE_LABEL) namespace = val;
    else matchLabels[key] = val;
  }
  const pod: LabelSelector = { matchLabels, matchExpressions: s.matchExpressions.map((e) => ({ ...e, key: stripSource(e.key) })) };
  const peer: Peer = { podSelector: pod };
  if (namespace !== undefined) peer.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': namespace }, matchExpressions: [] };
  return peer;
}

function cidrPeers(v: unknown, set: boolean): Peer[] {
  return list(v).flatMap((x) => {
    const text = set ? String(obj(x).cidr ?? '') : String(x);
    const cidr = Cidr.parse(text);
    if (!cidr) return [];
    const except = set ? list(obj(x).except).flatMap((e) => Cidr.parse(String(e)) ?? []) : [];
    return [{ ipBlock: { cidr, except } }];
  });
}

function readToPorts(v: unknown): { ports: PortSpec[]; http?: HttpRule[] } {
  const ports: PortSpec[] = [];
  let http: HttpRule[] | undefined;
  for (const tp of list(v)) {
    const t = obj(tp);
    for (const p of list(t.ports)) {
      const o = obj(p);
      const proto = String(o.protocol ?? 'ANY').toUpperCase();
      const port = o.port === undefined || o.port === '0' || o.port === 0 ? undefined : /^\d+$/.test(String(o.port)) ? Number(o.port) : String(o.port);
      const protos: PolicyProtocol[] = proto === 'ANY' ? ['TCP', 'UDP'] : [proto as PolicyProtocol];
      for (const protocol of protos) ports.push({ protocol, ...(port !== undefined ? { port } : {}), ...(typeof o.endPort === 'number' ? { endPort: o.endPort } : {}) });
    }
    const rules = obj(t.rules);
    if (Array.isArray(rules.http)) {
      http ??= [];
      for (const h of rules.http) {
        const r = obj(h);
        const headers = list(r.headers).map(String);
        http.push({ ...(typeof r.method === 'string' ? { method: r.method } : {}), ...(typeof r.path === 'string' ? { path: r.path } : {}), ...(headers.length ? { headers } : {}) });
      }
    }
  }
  return http ? { ports, http } : { ports };
}

function readRules(v: unknown, dir: 'from' | 'to'): Rule[] {
  return list(v).map((x) => {
    const r = obj(x);
    const peers: Peer[] = [
      ...list(r[`${dir}Endpoints`]).map(endpointPeer),
      ...cidrPeers(r[`${dir}CIDR`], false),
      ...cidrPeers(r[`${dir}CIDRSet`], true),
      ...list(r[`${dir}Entities`]).map((e) => ({ entity: String(e) })),
    ];
    const { ports, http } = readToPorts(r.toPorts);
    const hasPeerField = [`${dir}Endpoints`, `${dir}CIDR`, `${dir}CIDRSet`, `${dir}Entities`].some((f) => r[f] !== undefined);
    // `{}` allows nothing; a port-only rule allows every peer; an explicit empty list allows nothing.
    const effective = peers.length ? peers : hasPeerField || ports.length === 0 ? [NO_PEER] : [];
    const rule: Rule = { peers: effective, ports };
    if (http) rule.http = http;
    return rule;
  });
}

export function readCiliumPolicy(rec: ManifestRec): Policy {
  const spec = obj(rec.manifest.spec);
  const namespace = rec.meta.namespace ?? 'default';
  const ingress = readRules(spec.ingress, 'from');
  const egress = readRules(spec.egress, 'to');
  const types: Direction[] = [];
  if (spec.ingress !== undefined) types.push('Ingress');
  if (spec.egress !== undefined) types.push('Egress');
  const sel = endpointPeer(spec.endpointSelector).podSelector!;
  return { kind: 'CiliumNetworkPolicy', namespace, name: rec.meta.name, id: `${namespace}/${rec.meta.name}`, podSelector: sel, types, ingress, egress, rec };
}
