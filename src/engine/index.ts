/**
 * podpath's engine: the public API the app, the shell and the CLI share.
 *
 * loadCluster(files) parses and validates Kubernetes manifests, allocates addresses as the
 * real allocators do, and returns an immutable `Cluster`; `networkOf(cluster)` is the Linux
 * state its CNI plugin builds; `trace(cluster, request)` forwards a packet through it.
 * Everything is pure and deterministic: no DOM, no wall clock, no unseeded randomness.
 */
import type { Cluster } from './model/cluster';
import { fail, type Result, type ScenarioError } from './model/source';
import { locate } from './scenario/locate';
import { buildCluster } from './model/build';
import { loadScenario } from './scenario/loadScenario';
import type { ScenarioFile } from './scenario/types';

export type { Cluster, ClusterConfig, CniMode, KubeProxyMode, NodeRec, PodRec } from './model/cluster';
export { CNI_MODES, KUBE_PROXY_MODES } from './model/cluster';
export type { ScenarioError, Result } from './model/source';
export { formatScenarioError } from './model/source';
export type { ScenarioFile } from './scenario/types';
export type { TraceRequest, TraceResult, TraceHop, TraceLeg, PacketView } from './trace/traceTypes';
export { networkOf } from './cni/network';
export { Cidr, formatIpv4, parseIpv4 } from './addressing/ipv4';

export { trace, formatTrace, traceToJson } from './trace/tracer';
export { createShell, type Shell, type RunResult, type ClusterOps } from './shell/index';
export * as commands from './model/commands';
export { engineShell, engineOps } from './engineShell';

export interface LoadOptions {
  /** Overrides the Cluster document's `spec.seed` (CLI `--seed`). */
  seed?: number;
}

/** Load scenario files into a cluster; on any error nothing is returned but the errors. */
export function loadCluster(files: ScenarioFile[], options: LoadOptions = {}): Result<Cluster> {
  const scenario = loadScenario(files, options);
  if (!scenario.ok) return fail(scenario.errors);
  const built = buildCluster(scenario.value);
  return built.ok ? built : fail(built.errors.map((e) => positioned(files, e)));
}

/** Resolve an error's source reference to a line and column (re-parsing that file with positions only now). */
function positioned(files: ScenarioFile[], e: ScenarioError): ScenarioError {
  const { source, ...rest } = e;
  if (!source || rest.line !== undefined) return rest;
  const at = locate(files, source);
  return at ? { ...rest, line: at.line, column: at.column } : rest;
}
