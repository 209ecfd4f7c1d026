/**
 * Where the packet path is composed: the forwarder (dataplane/) knows only the netfilter seam
 * and tc program names; the layers above it bring the code that runs there. This module sits
 * above all of them and lists, in order:
 *
 * - the netfilter providers: kube-proxy first (Services, masquerade, Cilium's socket LB), so at
 *   a shared hook point policy sees the packet after the Service DNAT; then NetworkPolicy where
 *   the CNI's agent enforces it with iptables; then the cloud load balancers, which act only in
 *   their own namespaces and at the gateway, outside the nodes;
 * - the tc programs: the CNI's forwarding programs, Cilium's wrapped by its endpoint policy
 *   (bpf_lxc.c policy tail calls, policy/ciliumBpf.ts).
 *
 * Loading it also registers the NetworkPolicy iptables contributors (policy/hooks.ts), so
 * `iptables-save` shows Felix's and weave-npc's chains wherever traces can run.
 */
import { forwardingPrograms, type BpfPrograms } from '../dataplane/bpfPrograms';
import { netfilterHooks, type NetfilterHook, type NetfilterProvider } from '../dataplane/netfilter';
import { cloudLbHooks } from '../external/hooks';
import { kubeProxyHooks } from '../kubeproxy/provider';
import { runsCilium, type CniMode } from '../model/cluster';
import { withEndpointPolicy } from '../policy/ciliumBpf';
import { networkPolicyProvider } from '../policy/hooks';

export const NETFILTER_PROVIDERS: readonly NetfilterProvider[] = [kubeProxyHooks, networkPolicyProvider, cloudLbHooks];

/** The netfilter hooks a trace through `cluster` runs, in provider order. */
export function netfilterHooksFor(cluster: Parameters<NetfilterProvider>[0]): NetfilterHook[] {
  return netfilterHooks(NETFILTER_PROVIDERS, cluster);
}

// Built on first use and kept: a program set is pure (its caches are per Cluster object).
const built = new Map<CniMode, BpfPrograms | undefined>();

function build(mode: CniMode): BpfPrograms | undefined {
  const programs = forwardingPrograms(mode);
  if (programs && runsCilium(mode)) return withEndpointPolicy(programs);
  return programs;
}

/** eBPF programs / flow tables of a CNI mode as the node runs them (Cilium's with endpoint policy). */
export function bpfProgramsFor(mode: CniMode): BpfPrograms | undefined {
  if (!built.has(mode)) built.set(mode, build(mode));
  return built.get(mode);
}
