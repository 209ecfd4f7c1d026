/**
 * The pod and node the workstation's hints name (help, the terminal's first lines, the Trace
 * panel): a running pod of the default namespace (`client` when there is one) and a worker
 * node. A module of its own, with no imports but types, so the first paint can use it.
 */
import type { Cluster } from '../model/cluster';

export function placesToGo(cluster: Cluster) {
  const pods = [...cluster.pods.values()].filter((p) => !p.hostNetwork && p.attachment && (p.meta.namespace ?? 'default') === 'default');
  const pod = pods.find((p) => p.meta.name === 'client') ?? pods[0];
  const node = cluster.nodes.find((n) => !n.meta.name.includes('control-plane')) ?? cluster.nodes[0];
  return { pod, node };
}
