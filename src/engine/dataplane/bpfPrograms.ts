/**
 * The datapath side of the CNI plugins: which program code a name in `Link.tcIngress` runs.
 * The plugins (cni/*.ts) only attach programs by name to the devices they plumb, as the real
 * agents do; the code lives in the datapath modules, so drawing a cluster loads none of it
 * and only the forwarder (the tracer) does.
 *
 * These are the forwarding programs alone; what a layer above adds to them (Cilium's endpoint
 * policy, policy/ciliumBpf.ts) is composed in trace/datapath.ts and reaches the forwarder as
 * `ForwardEnv.programs`.
 */
import type { BpfProgram } from '../cni/plugin';
import { ciliumPrograms } from '../cni/ciliumDatapath';
import { weavePrograms } from '../cni/weaveDatapath';
import type { CniMode } from '../model/cluster';

export type BpfPrograms = Record<string, BpfProgram>;

/** The program set of a CNI mode, keyed by the names its devices carry in `tcIngress`. */
export type BpfProgramsFor = (mode: CniMode) => BpfPrograms | undefined;

/** The CNI's own forwarding programs (eBPF programs / flow tables) of a mode, without policy. */
export function forwardingPrograms(mode: CniMode): BpfPrograms | undefined {
  switch (mode) {
    case 'cilium':
    case 'cilium-native':
    case 'gke-dataplane-v2':
      return ciliumPrograms(mode === 'cilium');
    case 'weave':
      return weavePrograms;
    default:
      return undefined;
  }
}
