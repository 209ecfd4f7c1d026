/**
 * Whether a pod may go to a node, as kube-scheduler's static filter plugins decide it, in their
 * default order (pkg/scheduler/apis/config/v1 default plugins: NodeUnschedulable, NodeName,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit …); the first plugin that fails
 * gives the node's reason in the FitError. Room (NodeResourcesFit's pod count) is the scheduler's
 * dynamic part and lives in schedule.ts. The DaemonSet controller uses the same taint and
 * affinity checks to decide which nodes run a daemon pod.
 *
 * Reason texts, word for word:
 * - nodeunschedulable/node_unschedulable.go ErrReasonUnschedulable "node(s) were unschedulable";
 * - tainttoleration/taint_toleration.go "node(s) had untolerated taint {%s: %s}" (key, value);
 * - nodeaffinity/node_affinity.go ErrReasonPod "node(s) didn't match Pod's node affinity/selector".
 */
import type { NodeSelectorRequirement, NodeSelectorTerm, PodScheduling, Taint, Toleration } from '../model/cluster';

export const CONTROL_PLANE_TAINT_KEY = 'node-role.kubernetes.io/control-plane';
/** k8s.io/api/core/v1 well_known_taints.go TaintNodeUnschedulable. */
export const UNSCHEDULABLE_TAINT_KEY = 'node.kubernetes.io/unschedulable';

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const untoleratedTaint = (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;

/** The taint kubeadm puts on the control-plane nodes it makes (kubeadm init's default NodeRegistration.Taints). */
export function kubeadmTaints(role: 'control-plane' | 'worker'): Taint[] | undefined {
  return role === 'control-plane' ? [{ key: CONTROL_PLANE_TAINT_KEY, effect: 'NoSchedule' }] : undefined;
}

/** core/v1 Toleration.ToleratesTaint (k8s.io/api/core/v1/toleration.go). */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator ?? '';
  if (op === 'Exists') return true;
  if (op === '' || op === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

const tolerated = (tolerations: Toleration[] | undefined, taint: Taint) => !!tolerations && tolerations.some((t) => toleratesTaint(t, taint));

/**
 * The first NoSchedule/NoExecute taint no toleration tolerates (v1helper.FindMatchingUntoleratedTaint
 * with the filter TaintToleration uses: PreferNoSchedule never blocks).
 */
export function untolerated(taints: Taint[] | undefined, tolerations: Toleration[] | undefined): Taint | undefined {
  if (!taints) return undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerated(tolerations, taint)) return taint;
  }
  return undefined;
}

/** int64 as strconv.ParseInt reads it (decimal, optional sign), else undefined. */
function parseInt64(s: string | undefined): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  return Number(s);
}

/** A label requirement as labels.Selector evaluates it (NotIn and DoesNotExist hold when the key is absent). */
function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = parseInt64(value);
      const want = parseInt64(values[0]);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

export interface FitNode {
  name: string;
  labels: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

/**
 * component-helpers nodeaffinity.NodeSelector: terms are ORed, a term's requirements ANDed; a term
 * with no requirements matches nothing; matchFields knows only `metadata.name`.
 */
export function matchesTerms(node: FitNode, terms: NodeSelectorTerm[]): boolean {
  return terms.some((term) => {
    const exprs = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (exprs.length === 0 && fields.length === 0) return false;
    for (const r of exprs) if (!requirementMatches(r, Object.hasOwn(node.labels, r.key) ? node.labels[r.key] : undefined)) return false;
    for (const r of fields) {
      if (r.key !== 'metadata.name' || (r.operator !== 'In' && r.operator !== 'NotIn')) return false;
      if (!requirementMatches(r, node.name)) return false;
    }
    return true;
  });
}

/** NodeAffinity's filter: spec.nodeSelector (every pair) and the required node affinity terms. */
export function matchesNodeAffinity(node: FitNode, pod: PodScheduling): boolean {
  if (pod.nodeSelector) for (const k in pod.nodeSelector) if (node.labels[k] !== pod.nodeSelector[k]) return false;
  return !pod.nodeAffinity || matchesTerms(node, pod.nodeAffinity);
}

/** The scheduler's static filters in plugin order: the failing plugin's reason, or undefined when the node fits. */
export function staticMisfit(pod: PodScheduling, node: FitNode): string | undefined {
  if (node.unschedulable && !tolerated(pod.tolerations, { key: UNSCHEDULABLE_TAINT_KEY, effect: 'NoSchedule' })) return REASON_UNSCHEDULABLE;
  const taint = untolerated(node.taints, pod.tolerations);
  if (taint) return untoleratedTaint(taint);
  if (!matchesNodeAffinity(node, pod)) return REASON_AFFINITY;
  return undefined;
}

/** The node a pod is held to by a single required `metadata.name In [NODE]` term (a DaemonSet pod's), if it is. */
export function pinnedNode(pod: PodScheduling): string | undefined {
  const terms = pod.nodeAffinity;
  if (terms?.length !== 1 || terms[0].matchExpressions?.length || terms[0].matchFields?.length !== 1) return undefined;
  const f = terms[0].matchFields[0];
  return f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1 ? f.values[0] : undefined;
}

/**
 * The tolerations the DaemonSet controller adds to every daemon pod (pkg/controller/daemon/util
 * AddOrUpdateDaemonPodTolerations): not-ready and unreachable (NoExecute), disk/memory/pid
 * pressure and unschedulable (NoSchedule), and network-unavailable for hostNetwork pods.
 */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: UNSCHEDULABLE_TAINT_KEY, operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/**
 * Whether the DaemonSet controller runs a daemon pod on the node (daemon_controller.go
 * NodeShouldRunDaemonPod: node affinity, then untolerated NoSchedule/NoExecute taints; cordoned
 * nodes run daemon pods). `pod.tolerations` must already hold daemonPodTolerations.
 */
export function daemonPodFits(pod: PodScheduling, node: FitNode): boolean {
  return matchesNodeAffinity(node, pod) && untolerated(node.taints, pod.tolerations) === undefined;
}
