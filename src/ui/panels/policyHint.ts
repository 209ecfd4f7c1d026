/**
 * A NetworkPolicy created or changed by a shell command under a CNI that does not enforce
 * policies (issue 13 point 1): kubectl says "networkpolicy… created" as on any cluster, and the
 * terminal adds a dim `podpath:` line saying it does nothing here. Apart from terminalHints.ts
 * because it needs the engine's policy code, which the first paint does not load.
 */
import type { Cluster } from '../../engine/model/cluster';
import { notEnforcedBecause } from '../../engine/policy/unenforced';

/** A `podpath:` line after a command that created or changed NetworkPolicies the CNI does not enforce, or undefined. */
export function unenforcedPolicyHint(before: Cluster, after: Cluster): string | undefined {
  if (after === before) return undefined;
  const changed: string[] = [];
  for (const [key, o] of after.objects) if (o.kind === 'NetworkPolicy' && before.objects.get(key) !== o) changed.push(o.meta.name);
  if (!changed.length) return undefined;
  const because = notEnforcedBecause(after);
  if (!because) return undefined;
  const what = changed.length > 1 ? `NetworkPolicies ${changed.join(', ')} are` : `NetworkPolicy ${changed[0]} is`;
  return `podpath: ${what} stored, but ${because}: all traffic still flows. Set the CNI to calico, cilium or weave (Edit tab) to enforce it.`;
}
