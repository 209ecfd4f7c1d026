/**
 * podpath's engine: the public API the app, the shell and the CLI share.
 *
 * loadCluster(files) parses and validates Kubernetes manifests, allocates addresses as the
 * real allocators do, and returns an immutable `Cluster`; `networkOf(cluster)` is the Linux
 * state its CNI plugin builds; `trace(cluster, request)` forwards a packet through it.
 * Everything is pure and deterministic: no DOM, no wall clock, no unseeded randomness.
 */
export type { Cluster, ClusterConfig, CniMode, KubeProxyMode, NodeRec, PodRec } from './model/cluster';
export { CNI_MODES, KUBE_PROXY_MODES } from './model/cluster';
export type { ScenarioError, Result } from './model/source';
export { formatScenarioError } from './model/source';
export type { ScenarioFile } from './scenario/types';
export type { TraceRequest, TraceResult, TraceHop, TraceLeg, PacketView } from './trace/traceTypes';
export { networkOf } from './cni/network';
export { Cidr, formatIpv4, parseIpv4 } from './addressing/ipv4';

export { trace, formatTrace, traceToJson } from './trace/tracer';
export { chunksOf, createShell, type Chunk, type Shell, type RunResult, type ClusterOps } from './shell/index';
export * as commands from './controllers/commands';
export { engineShell, engineOps } from './engineShell';
export { loadCluster, type LoadOptions } from './load';
export * from './lessons/index';
