/**
 * Node maintenance as kubectl drives it: cordon/uncordon set spec.unschedulable; drain cordons,
 * then evicts the node's pods (DaemonSet pods are kept with --ignore-daemonsets) and their
 * controllers recreate them on other nodes.
 * CONTRACT (filled in by the controllers work): signatures are fixed; the shell and the app call them.
 */
import type { Cluster } from '../model/cluster';
import { fail, type Result } from '../model/source';
import { err } from './change';

export interface DrainOptions {
  ignoreDaemonSets?: boolean;
  deleteEmptyDirData?: boolean;
  force?: boolean;
}

/** What drain did, in kubectl's order: the pods it evicted (namespace/name). */
export interface DrainResult {
  cluster: Cluster;
  evicted: string[];
  /** DaemonSet-managed pods left in place (`Warning: ignoring DaemonSet-managed Pods: …`). */
  ignoredDaemonSetPods: string[];
}

export function cordonNode(_cluster: Cluster, _name: string, _unschedulable: boolean): Result<Cluster> {
  return fail(err('cordon: not implemented yet'));
}

export function drainNode(_cluster: Cluster, _name: string, _options: DrainOptions): Result<DrainResult> {
  return fail(err('drain: not implemented yet'));
}
