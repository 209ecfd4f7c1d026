/**
 * `policy explain FROM TO`: the verdict for one connection and every reason behind it — which
 * policies select each end, the rule that allowed it or the fact that none did — and whether
 * this cluster's CNI enforces it at all. FROM/TO: `[ns/]pod`, `node/NAME` or an IPv4 address.
 */
import { parseIpv4 } from '../addressing/ipv4';
import type { Cluster } from '../model/cluster';
import { enforcementOf } from './enforcement';
import { evaluateConnection, portText, verdictText, type ConnectionVerdict } from './evaluate';
import { policyIndexOf, type Endpoint } from './policyIndex';
import { formatSelector } from '../model/labelSelector';
import type { ConnProtocol, Policy } from './types';

export interface Explanation {
  /** What the policies say. */
  allowedByPolicy: boolean;
  /** What happens on this cluster (the CNI may not enforce). */
  allowed: boolean;
  enforced: boolean;
  verdict: ConnectionVerdict;
  text: string;
}

export function resolveEndpoint(cluster: Cluster, text: string): Endpoint | string {
  const idx = policyIndexOf(cluster);
  if (text.startsWith('node/')) {
    const node = cluster.nodes.find((n) => n.meta.name === text.slice(5));
    return node ? idx.nodeEndpoint(node) : `node "${text.slice(5)}" not found`;
  }
  const ip = parseIpv4(text);
  if (ip !== null) return idx.endpointOfIp(ip);
  const key = text.includes('/') ? text : `default/${text}`;
  const pod = cluster.pods.get(key);
  if (!pod) return `pod "${key}" not found`;
  return idx.podEndpoint(pod);
}

function policyLine(p: Policy): string {
  const rules = p.types.map((t) => `${(t === 'Ingress' ? p.ingress : p.egress).length} ${t.toLowerCase()} rule(s)`).join(', ');
  return `${p.kind === 'CiliumNetworkPolicy' ? 'CiliumNetworkPolicy ' : ''}${p.id} (podSelector ${formatSelector(p.podSelector)}; policyTypes ${p.types.join(', ')}; ${rules})`;
}

export function explainConnection(cluster: Cluster, from: string, to: string, proto: ConnProtocol, port?: number): Explanation | string {
  const src = resolveEndpoint(cluster, from);
  if (typeof src === 'string') return src;
  const dst = resolveEndpoint(cluster, to);
  if (typeof dst === 'string') return dst;
  const idx = policyIndexOf(cluster);
  const v = evaluateConnection(idx, src, dst, proto, port);
  const e = enforcementOf(cluster);
  const enforced = e.enforcer !== 'none';
  const allowed = v.allowed || !enforced;
  const lines = [`${src.name} → ${dst.name} ${portText(proto, port)}: ${allowed ? 'ALLOWED' : 'DENIED'}`];
  if (!enforced) lines.push(`  NOT ENFORCED: ${e.description}.`, `  The policies alone would ${v.allowed ? 'allow' : 'deny'} this connection.`);
  else lines.push(`  enforcement: ${e.description}`);
  for (const l of verdictText(v, src, dst, proto, port)) lines.push(`  ${l}`);
  for (const side of [v.egress, v.ingress]) {
    if (!side || !side.policies.length) continue;
    lines.push(`  policies selecting ${side.subject.meta.namespace ?? 'default'}/${side.subject.meta.name} for ${side.direction}:`);
    for (const p of side.policies) lines.push(`    ${policyLine(p)}`);
  }
  if (v.allowed) lines.push('  replies of the connection pass (connection tracking), whatever the policies say about the reverse direction');
  return { allowedByPolicy: v.allowed, allowed, enforced, verdict: v, text: lines.join('\n') + '\n' };
}
