/**
 * The `policy` check: one cell of the connectivity matrix (policy/matrix.ts, `podpath policy
 * matrix`): whether the NetworkPolicies, as the cluster's CNI enforces them, let `from` open a
 * connection to `to` on the port. Computed for the one pair with evaluateConnection, which the
 * matrix agrees with on every pair; a CNI that enforces nothing (Flannel) allows every cell, as
 * the matrix does, and the message says so.
 */
import type { Cluster } from '../../model/cluster';
import { enforcementOf } from '../../policy/enforcement';
import { evaluateConnection, portText, verdictText } from '../../policy/evaluate';
import { policyIndexOf } from '../../policy/policyIndex';
import type { CheckResult, PolicyCheck } from '../types';
import { failed, pass, splitName } from './cluster';

export function checkPolicy(c: PolicyCheck, cluster: Cluster): CheckResult {
  const proto = c.proto ?? 'TCP';
  const cell = `${c.from} → ${c.to} on ${portText(proto, c.port)}`;
  const pods = [c.from, c.to].map((t) => {
    const { namespace, name } = splitName(t);
    return cluster.pods.get(`${namespace}/${name}`);
  });
  const missing = [c.from, c.to].filter((_, i) => !pods[i]);
  if (missing.length) return failed('policy', `expected ${cell} to be ${c.allowed ? 'allowed' : 'denied'}; there is no pod ${missing.join(' or ')}`);
  const [src, dst] = pods as NonNullable<(typeof pods)[number]>[];
  const e = enforcementOf(cluster);
  let allowed: boolean;
  let why: string;
  if (src === dst) {
    allowed = true;
    why = 'a pod can always reach itself';
  } else if (e.enforcer === 'none') {
    allowed = true;
    why = e.description;
  } else {
    const idx = policyIndexOf(cluster);
    const from = idx.podEndpoint(src);
    const to = idx.podEndpoint(dst);
    const v = evaluateConnection(idx, from, to, proto, c.port);
    allowed = v.allowed;
    why = verdictText(v, from, to, proto, c.port).join('; ');
  }
  const got = allowed ? 'allowed' : 'denied';
  return allowed === c.allowed ? pass('policy', `${cell}: ${got} (${why})`) : failed('policy', `expected ${cell} to be ${c.allowed ? 'allowed' : 'denied'}; it is ${got}: ${why}`);
}
