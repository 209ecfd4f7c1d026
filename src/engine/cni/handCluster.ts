/**
 * The plugin tests' short form of `testCluster`: a mode name instead of a plugin and config,
 * and each mode's usual pool (Cilium's cluster-pool 10.0.0.0/8, weave's 10.32.0.0/12).
 * Test support only; never used by the engine.
 */
import type { Cluster, ClusterConfig, CniMode, NodeRec } from '../model/cluster';
import { pluginFor } from './registry';
import { cidr, ip4, testCluster, testConfig, type NodeSpec, type PodSpec } from './testCluster';

export { cidr, ip4 };

export interface HandNode extends Omit<NodeSpec, 'extra'> {
  extra?: Partial<NodeRec> | Record<string, unknown>;
}

export interface HandPod extends PodSpec {
  hostIfindex: number;
}

export function handCluster(cni: CniMode, nodes: HandNode[], pods: HandPod[], over: Partial<ClusterConfig> = {}): Cluster {
  const pool = cni.startsWith('cilium') ? '10.0.0.0/8' : cni === 'weave' ? '10.32.0.0/12' : '10.244.0.0/16';
  const config = testConfig(cni, { podCIDR: cidr(pool), nodeNetwork: cidr('192.168.1.0/24'), seed: 7, ...over });
  return testCluster(
    pluginFor(cni),
    config,
    nodes.map((n) => ({ ...n, extra: n.extra as Partial<NodeRec> | undefined })),
    pods.map((p) => ({ ...p, labels: p.labels ?? { app: p.name }, podIfindex: p.podIfindex ?? 2 })),
  );
}
