/**
 * The `policy` check: one cell of the connectivity matrix (policy/matrix.ts, `podpath policy
 * matrix`): whether the NetworkPolicies, as the cluster's CNI enforces them, let `from` open a
 * connection to `to` on the port — computed for the one pair by explainConnection (`podpath policy
 * explain`), which agrees with the matrix on every pair. A CNI that enforces nothing (Flannel)
 * allows every cell, as the matrix does, and the message says what the policies alone would do.
 * FROM/TO: `[ns/]pod`, `node/NAME` or an IPv4 address.
 */
import type { Cluster } from '../../model/cluster';
import { portText, verdictText } from '../../policy/evaluate';
import { explainConnection, resolveEndpoint } from '../../policy/explain';
import type { CheckResult, PolicyCheck } from '../types';
import { failed, pass } from './cluster';

export function checkPolicy(c: PolicyCheck, cluster: Cluster): CheckResult {
  const proto = c.proto ?? 'TCP';
  const cell = `${c.from} → ${c.to} on ${portText(proto, c.port)}`;
  const want = c.allowed ? 'allowed' : 'denied';
  const e = explainConnection(cluster, c.from, c.to, proto, c.port);
  if (typeof e === 'string') return failed('policy', `expected ${cell} to be ${want}; ${e}`);
  const [src, dst] = [resolveEndpoint(cluster, c.from), resolveEndpoint(cluster, c.to)];
  const reasons = typeof src === 'string' || typeof dst === 'string' ? [] : verdictText(e.verdict, src, dst, proto, c.port);
  const why = e.enforced ? reasons.join('; ') : `not enforced: the policies alone would ${e.allowedByPolicy ? 'allow' : 'deny'} it (${reasons.join('; ')})`;
  const got = e.allowed ? 'allowed' : 'denied';
  return e.allowed === c.allowed ? pass('policy', `${cell}: ${got} (${why})`) : failed('policy', `expected ${cell} to be ${want}; it is ${got}: ${why}`);
}
