/**
 * Which pods a NetworkPolicy selects, for the marks on the canvas (issue 13 point 1): each such
 * pod carries a badge, and under a CNI that does not enforce policies the badge says so
 * ("not enforced by flannel"). The facts are the engine's (policy/unenforced.ts); its module
 * loads only once the cluster has a policy, so the first paint does not carry the policy code.
 * Marks are computed once per cluster object and kept (the selector returns stable values).
 */
import { useSyncExternalStore } from 'react';
import type { Cluster } from '../../engine/model/cluster';
import type { PodPolicyMark } from '../../engine/policy/unenforced';
import { useApp } from '../StoreContext';

type PolicyEngine = typeof import('../../engine/policy/unenforced');

let engine: PolicyEngine | null = null;
let loading: Promise<PolicyEngine> | null = null;
const listeners = new Set<() => void>();

/** Load the policy facts (once); listeners re-render when they arrive. */
export function loadPolicyEngine(): Promise<PolicyEngine> {
  loading ??= import('../../engine/policy/unenforced').then((m) => {
    engine = m;
    for (const l of listeners) l();
    return m;
  });
  return loading;
}

const hasPolicy = new WeakMap<Cluster, boolean>();
const marks = new WeakMap<Cluster, Map<string, PodPolicyMark>>();

function anyPolicy(cluster: Cluster): boolean {
  let has = hasPolicy.get(cluster);
  if (has === undefined) {
    has = false;
    for (const o of cluster.objects.values()) if (o.kind === 'NetworkPolicy' || o.kind === 'CiliumNetworkPolicy') has = true;
    hasPolicy.set(cluster, has);
  }
  return has;
}

/** The mark of pod `key` (`namespace/name`), or undefined: no policy selects it, or the facts are still loading. */
export function policyMarkOf(cluster: Cluster | null, key: string): PodPolicyMark | undefined {
  if (!cluster || !anyPolicy(cluster)) return undefined;
  if (!engine) {
    void loadPolicyEngine();
    return undefined;
  }
  let m = marks.get(cluster);
  if (!m) {
    m = engine.policyMarks(cluster);
    marks.set(cluster, m);
  }
  return m.get(key);
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function usePolicyMark(key: string): PodPolicyMark | undefined {
  useSyncExternalStore(subscribe, () => engine);
  return useApp((s) => policyMarkOf(s.cluster, key));
}

/** What the mark says, for its text and for the pod's accessible name. */
export function policyMarkText(mark: PodPolicyMark, cni: string): { short: string; long: string } {
  const names = mark.policies.map((id) => id.split('/')[1]).join(', ');
  const dirs = mark.directions.join(' and ').toLowerCase();
  if (mark.enforced) return { short: `policy: ${names}`, long: `NetworkPolicy ${names} selects this pod (${dirs})` };
  const who = cni.startsWith('flannel') ? 'flannel' : cni;
  // The engine's reason, as the trace summary and the Edit tab word it (the VPC CNI's controller is off, GKE's enforcement is disabled …).
  const because = mark.because ?? `${who} does not enforce NetworkPolicy`;
  return { short: `⚠ not enforced by ${who}`, long: `NetworkPolicy ${names} selects this pod (${dirs}), but ${because}: all traffic flows` };
}
