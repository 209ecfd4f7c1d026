/**
 * Who enforces NetworkPolicy in each CNI mode, and where:
 * - calico*: Felix programs iptables on every node; the filter FORWARD chain dispatches on the
 *   workload's cali interface to `cali-fw-<iface>` (traffic from the pod, its egress policy) and
 *   `cali-tw-<iface>` (traffic to the pod, its ingress policy).
 * - cilium*: the endpoint's eBPF programs at its lxc device (bpf_lxc.c) enforce both directions
 *   on security identities derived from labels; CiliumNetworkPolicy adds L7 HTTP rules.
 * - weave: weave-npc (a container of the weave-net pod) programs iptables: WEAVE-NPC-EGRESS and
 *   WEAVE-NPC(-INGRESS) in FORWARD, matching bridged pod traffic (physdev, br_netfilter).
 * - aws-vpc: the VPC CNI's network policy agent attaches eBPF to the pod's host veth, but only
 *   when the controller is enabled: ConfigMap kube-system/amazon-vpc-cni
 *   `enable-network-policy-controller: "true"` (off by default; docs.aws.amazon.com/eks/latest/
 *   userguide/cni-network-policy.html). Otherwise policies are accepted and not enforced.
 * - azure-cni*: what AKS's --network-policy installed (Cluster spec.networkPolicy): `azure` — Azure
 *   Network Policy Manager (azure-npm) programs iptables: FORWARD → AZURE-NPM → AZURE-NPM-INGRESS /
 *   AZURE-NPM-EGRESS, drops in AZURE-NPM-INGRESS-DROPS / AZURE-NPM-EGRESS-DROPS (azure-container-
 *   networking npm/util/const.go); `calico` — Calico in policy-only mode, Felix on the azv*
 *   interfaces (cali-tw-azv…, cali-fw-azv…); `none` (AKS's default) — nothing.
 * - gke-dataplane-v2: anetd (GKE's Cilium) enforces NetworkPolicy in eBPF at each pod's veth, always
 *   ("Dataplane V2 … built-in network policy enforcement"); no CiliumNetworkPolicy CRD.
 * - gke: only with Calico network policy (`networkPolicy: calico`, gcloud --enable-network-policy):
 *   Felix's iptables on the cali veths; otherwise policies are accepted and not enforced.
 * - flannel*: nothing. Flannel has no policy agent: policies are stored, listed, and ignored.
 */
import type { Cluster } from '../model/cluster';

export type Enforcer = 'calico-felix' | 'cilium-ebpf' | 'weave-npc' | 'aws-network-policy-agent' | 'azure-npm' | 'none';

export interface Enforcement {
  enforcer: Enforcer;
  /** What the app and the CLI say about the mechanism. */
  description: string;
  /** CiliumNetworkPolicy objects take effect (cilium only). */
  ciliumPolicies: boolean;
}

export function awsPolicyControllerEnabled(cluster: Cluster): boolean {
  const cm = cluster.objects.get('ConfigMap/kube-system/amazon-vpc-cni');
  const data = cm?.manifest.data as Record<string, unknown> | undefined;
  return String(data?.['enable-network-policy-controller'] ?? '') === 'true';
}

export function enforcementOf(cluster: Cluster): Enforcement {
  const cni = cluster.config.cni;
  if (cni.startsWith('calico')) return { enforcer: 'calico-felix', description: "Calico's Felix enforces NetworkPolicy with iptables chains on each pod's cali interface (cali-tw-* toward the pod, cali-fw-* from it)", ciliumPolicies: false };
  if (cni === 'gke-dataplane-v2') return { enforcer: 'cilium-ebpf', description: "GKE Dataplane V2 (anetd, GKE's Cilium) enforces NetworkPolicy in the eBPF programs at each pod's veth, on identities derived from labels", ciliumPolicies: false };
  if (cni === 'gke') {
    return cluster.config.networkPolicy === 'calico'
      ? { enforcer: 'calico-felix', description: "GKE network policy enforcement (Calico): Felix enforces NetworkPolicy with iptables chains on each pod's cali interface (cali-tw-* toward the pod, cali-fw-* from it)", ciliumPolicies: false }
      : { enforcer: 'none', description: 'GKE network policy enforcement is disabled (the cluster has no --enable-network-policy; spec.networkPolicy: calico enables it): NetworkPolicies are accepted but not enforced', ciliumPolicies: false };
  }
  if (cni.startsWith('cilium')) return { enforcer: 'cilium-ebpf', description: "Cilium enforces NetworkPolicy and CiliumNetworkPolicy in the endpoint's eBPF programs at its lxc device, on identities derived from labels", ciliumPolicies: true };
  if (cni === 'weave') return { enforcer: 'weave-npc', description: 'weave-npc enforces NetworkPolicy with iptables (WEAVE-NPC chains in FORWARD) on bridged pod traffic', ciliumPolicies: false };
  if (cni === 'aws-vpc') {
    return awsPolicyControllerEnabled(cluster)
      ? { enforcer: 'aws-network-policy-agent', description: "the VPC CNI's network policy agent enforces NetworkPolicy with eBPF programs on each pod's host veth", ciliumPolicies: false }
      : { enforcer: 'none', description: 'the VPC CNI network policy controller is disabled (enable-network-policy-controller is not "true" in ConfigMap kube-system/amazon-vpc-cni, the default): NetworkPolicies are accepted but not enforced', ciliumPolicies: false };
  }
  if (cni === 'azure-cni' || cni === 'azure-cni-overlay') {
    const engine = cluster.config.networkPolicy ?? 'none';
    if (engine === 'azure') return { enforcer: 'azure-npm', description: 'Azure Network Policy Manager (azure-npm) enforces NetworkPolicy with iptables (AZURE-NPM chains in FORWARD) on the pods\' azv interfaces', ciliumPolicies: false };
    if (engine === 'calico') return { enforcer: 'calico-felix', description: "Calico (policy-only, beside Azure CNI) enforces NetworkPolicy with Felix's iptables chains on each pod's azv interface (cali-tw-* toward the pod, cali-fw-* from it)", ciliumPolicies: false };
    return { enforcer: 'none', description: 'the cluster was created without a network policy engine (AKS --network-policy none, the default): NetworkPolicies are accepted but not enforced', ciliumPolicies: false };
  }
  return { enforcer: 'none', description: `${cni} does not implement NetworkPolicy: policies are stored and listed, but nothing enforces them and all traffic flows`, ciliumPolicies: false };
}
