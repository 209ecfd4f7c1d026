/**
 * The datapath side of the CNI plugins: which program code a name in `Link.tcIngress` runs.
 * The plugins (cni/*.ts) only attach programs by name to the devices they plumb, as the real
 * agents do; the code lives in the datapath modules, so drawing a cluster loads none of it
 * and only the forwarder (the tracer) does.
 */
import type { BpfProgram } from '../cni/plugin';
import { ciliumPrograms } from '../cni/ciliumDatapath';
import { weavePrograms } from '../cni/weaveDatapath';
import type { CniMode } from '../model/cluster';
import { withEndpointPolicy } from '../policy/ciliumBpf';

type Programs = Record<string, BpfProgram>;

// Built on first use and kept: a program set is pure (its caches are per Cluster object).
const built = new Map<CniMode, Programs | undefined>();

function build(mode: CniMode): Programs | undefined {
  switch (mode) {
    case 'cilium':
    case 'cilium-native':
      // Endpoint policy (bpf_lxc.c policy tail calls) wraps the forwarding programs.
      return withEndpointPolicy(ciliumPrograms(mode === 'cilium'));
    case 'weave':
      return weavePrograms;
    default:
      return undefined;
  }
}

/** eBPF programs / flow tables of a CNI mode, keyed by the names its devices carry in `tcIngress`. */
export function bpfProgramsFor(mode: CniMode): Programs | undefined {
  if (!built.has(mode)) built.set(mode, build(mode));
  return built.get(mode);
}
