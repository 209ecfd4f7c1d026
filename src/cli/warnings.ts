/**
 * `podpath check`'s warnings: what the cluster accepted but cannot run, as it would show in a
 * real cluster — pods left Pending by the scheduler, stuck in ContainerCreating because their
 * node's IPAM has no address, or rejected by their kubelet (OutOfpods). One line per object and
 * state, at the object's place in the files (a workload's pods are reported once, at the
 * workload, with their count): `FILE:LINE:COL: Kind/ns/name: Warning: STATUS: message`; the
 * system objects the cluster adds itself are placed at `(cluster)`.
 * Also each NetworkPolicy the CNI does not enforce (issue 13 point 1: flannel stores it, lists
 * it, and lets all traffic through), with the reason the app's YAML view and trace give.
 * Warnings do not make the scenario invalid (`check` still exits 0).
 */
import type { Cluster, PodRec } from '../engine/model/cluster';
import type { ScenarioError } from '../engine/model/source';
import { notEnforcedBecause } from '../engine/policy/unenforced';

/** The workload (or the pod itself) a stuck pod is reported under. */
function reportedAs(p: PodRec, cluster: Cluster): string {
  const ns = p.meta.namespace ?? 'default';
  const owner = p.meta.ownerReferences?.find((o) => o.controller) ?? p.meta.ownerReferences?.[0];
  if (!owner) return `Pod/${ns}/${p.meta.name}`;
  if (owner.kind === 'ReplicaSet') {
    // A Deployment's ReplicaSet: report the Deployment the user wrote.
    for (const w of cluster.workloads.values()) {
      if (w.kind === 'Deployment' && (w.meta.namespace ?? 'default') === ns && `${w.meta.name}-${w.templateHash}` === owner.name) return `Deployment/${ns}/${w.meta.name}`;
    }
  }
  return `${owner.kind}/${ns}/${owner.name}`;
}

export function stuckPodWarnings(cluster: Cluster): ScenarioError[] {
  const groups = new Map<string, { object: string; pods: PodRec[] }>();
  for (const p of cluster.pods.values()) {
    if (!p.status) continue;
    const object = reportedAs(p, cluster);
    const key = `${object}\u0000${p.status.display}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { object, pods: [] }));
    g.pods.push(p);
  }
  const out: ScenarioError[] = [];
  for (const { object, pods } of groups.values()) {
    const first = pods[0];
    const s = first.status!;
    const what = pods.length > 1 ? `${pods.length} pods ${s.display}` : object.startsWith('Pod/') ? s.display : `pod ${first.meta.name} ${s.display}`;
    const where = first.nodeName ? ` on node ${first.nodeName}` : '';
    // Objects the cluster made itself (CoreDNS …) are in no file.
    out.push({ file: first.source?.file ?? '(cluster)', object, message: `Warning: ${what}${pods.length > 1 ? '' : where}: ${s.message ?? s.reason ?? ''}`, ...(first.source ? { source: first.source } : {}) });
  }
  return out;
}

/** One warning per NetworkPolicy when the cluster's CNI does not enforce them; none when it does. */
export function unenforcedPolicyWarnings(cluster: Cluster): ScenarioError[] {
  const because = notEnforcedBecause(cluster);
  if (!because) return [];
  const out: ScenarioError[] = [];
  for (const o of cluster.objects.values()) {
    if (o.kind !== 'NetworkPolicy') continue;
    const object = `NetworkPolicy/${o.meta.namespace ?? 'default'}/${o.meta.name}`;
    out.push({ file: o.source?.file ?? '(cluster)', object, message: `Warning: accepted but not enforced: ${because}, so all traffic still flows`, ...(o.source ? { source: o.source } : {}) });
  }
  return out;
}
