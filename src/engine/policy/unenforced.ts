/**
 * Saying where the eye is that a NetworkPolicy is stored but not enforced (issue 13 point 1):
 * which pods the policies select (the canvas marks them), and the sentence a delivered trace
 * carries when a policy selects one of its ends under a CNI that does not enforce policies
 * ("NetworkPolicy deny-web selects web-1 but flannel does not enforce NetworkPolicy").
 *
 * The facts come from enforcement.ts (who enforces, per CNI mode) and the policy index (which
 * policies select which pod, per direction); nothing here decides a verdict.
 */
import type { Cluster, PodRec } from '../model/cluster';
import type { PacketRepr } from '../model/packet';
import { enforcementOf, type Enforcer } from './enforcement';
import { isPolicyPod, podKey, policyIndexOf } from './policyIndex';
import type { Direction, Policy } from './types';

export interface PodPolicyMark {
  /** `namespace/name` of the policies selecting the pod (either direction), sorted. */
  policies: string[];
  /** Directions some policy isolates the pod for. */
  directions: Direction[];
  enforced: boolean;
  enforcer: Enforcer;
  /** When not enforced: why, in the words of notEnforcedBecause ("flannel does not enforce NetworkPolicy"). */
  because?: string;
}

/**
 * Who does not enforce, in words for a sentence ending "… but X": `flannel does not enforce
 * NetworkPolicy`, or for the VPC CNI without its controller, that the controller is off.
 * Undefined when policies are enforced.
 */
export function notEnforcedBecause(cluster: Cluster): string | undefined {
  const e = enforcementOf(cluster);
  if (e.enforcer !== 'none') return undefined;
  const cni = cluster.config.cni;
  if (cni === 'gke') return 'GKE network policy enforcement is disabled (no --enable-network-policy: set spec.networkPolicy: calico in the Cluster document)';
  if (cni === 'aws-vpc') return 'the VPC CNI does not enforce NetworkPolicy (its network policy controller is off: enable-network-policy-controller is not "true" in ConfigMap kube-system/amazon-vpc-cni)';
  if (cni === 'azure-cni' || cni === 'azure-cni-overlay') return `${cni} does not enforce NetworkPolicy without a network policy engine (AKS --network-policy none; set spec.networkPolicy: azure or calico)`;
  return `${cni.startsWith('flannel') ? 'flannel' : cni} does not enforce NetworkPolicy`;
}

const ids = (list: Policy[]) => [...new Set(list.map((p) => p.id))].sort();

/** The pods some policy selects, keyed `namespace/name` (pods off the pod network are never selected). */
export function policyMarks(cluster: Cluster): Map<string, PodPolicyMark> {
  const out = new Map<string, PodPolicyMark>();
  const idx = policyIndexOf(cluster);
  if (!idx.policies.length) return out;
  const e = enforcementOf(cluster);
  const because = notEnforcedBecause(cluster);
  for (const pod of cluster.pods.values()) {
    if (!isPolicyPod(pod)) continue;
    const ingress = idx.selecting(pod, 'Ingress');
    const egress = idx.selecting(pod, 'Egress');
    if (!ingress.length && !egress.length) continue;
    const directions: Direction[] = [];
    if (ingress.length) directions.push('Ingress');
    if (egress.length) directions.push('Egress');
    out.set(podKey(pod), { policies: ids([...ingress, ...egress]), directions, enforced: e.enforcer !== 'none', enforcer: e.enforcer, ...(because ? { because } : {}) });
  }
  return out;
}

function selects(policies: Policy[], pod: PodRec): string {
  const names = policies.map((p) => p.name);
  return `${names.length > 1 ? 'NetworkPolicies' : 'NetworkPolicy'} ${names.join(', ')} ${names.length > 1 ? 'select' : 'selects'} ${pod.meta.name}`;
}

/**
 * For a packet `delivered` to `dst` (a pod, or undefined for a node or a host outside), sent by
 * `sender` (the pod the trace started in, when it did), the sentence saying that policies
 * selecting the sender (egress) or the receiver (ingress) were not enforced; undefined when the
 * CNI enforces policies or none selects either end. Without `sender`, the sender is the pod
 * owning the delivered packet's source address (what the policy engines match on).
 */
export function notEnforcedNote(cluster: Cluster, dst: PodRec | undefined, delivered: PacketRepr, sender?: PodRec): string | undefined {
  const because = notEnforcedBecause(cluster);
  if (!because) return undefined;
  const idx = policyIndexOf(cluster);
  if (!idx.policies.length) return undefined;
  const parts: string[] = [];
  const byIp = idx.endpointOfIp(delivered.ip.src);
  const src = sender && isPolicyPod(sender) ? sender : byIp.kind === 'pod' ? byIp.pod : undefined;
  if (src && src !== dst) {
    const egress = idx.selecting(src, 'Egress');
    if (egress.length) parts.push(selects(egress, src));
  }
  if (dst && isPolicyPod(dst)) {
    const ingress = idx.selecting(dst, 'Ingress');
    if (ingress.length) parts.push(selects(ingress, dst));
  }
  return parts.length ? `${parts.join(' and ')} but ${because}` : undefined;
}
