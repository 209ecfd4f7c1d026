/**
 * What the palette offers: a few images students meet in every Kubernetes tutorial, each as the
 * Pod manifest `kubectl run` would create (label `run=<name>` plus an `app` label to select it
 * by), pinned to the node it is dropped on with spec.nodeName.
 */
import type { Cluster } from '../../engine/model/cluster';

export interface PaletteItem {
  id: string;
  title: string;
  image: string;
  /** What the pod is for, in a few words. */
  hint: string;
  command?: string[];
  args?: string[];
  port?: number;
}

export const PALETTE: PaletteItem[] = [
  { id: 'nginx', title: 'nginx', image: 'nginx:1.27', hint: 'web server on :80', port: 80 },
  { id: 'http-echo', title: 'http-echo', image: 'hashicorp/http-echo:1.0', hint: 'answers HTTP on :5678', args: ['-listen=:5678', '-text=hello'], port: 5678 },
  { id: 'busybox', title: 'busybox', image: 'busybox:1.36', hint: 'a shell for ping, wget', command: ['sleep', 'infinity'] },
  { id: 'netshoot', title: 'netshoot', image: 'nicolaka/netshoot:v0.13', hint: 'dig, curl, tcpdump', command: ['sleep', 'infinity'] },
  { id: 'redis', title: 'redis', image: 'redis:7.4', hint: 'key-value store on :6379', port: 6379 },
];

/** The first free `<item>-<n>` pod name in the namespace. */
export function freePodName(cluster: Cluster, base: string, namespace = 'default'): string {
  for (let n = 1; ; n++) {
    const name = `${base}-${n}`;
    if (!cluster.pods.has(`${namespace}/${name}`)) return name;
  }
}

/** The Pod manifest (without apiVersion/kind, which commands.addPod adds) for an item on a node. */
export function podManifest(item: PaletteItem, name: string, nodeName: string): Record<string, unknown> {
  const container: Record<string, unknown> = { name: item.id, image: item.image };
  if (item.command) container.command = item.command;
  if (item.args) container.args = item.args;
  if (item.port) container.ports = [{ containerPort: item.port }];
  return {
    metadata: { name, namespace: 'default', labels: { run: name, app: item.id } },
    spec: { nodeName, containers: [container] },
  };
}

/** The first free `worker-<n>` node name. */
export function freeNodeName(cluster: Cluster): string {
  const taken = new Set(cluster.nodes.map((n) => n.meta.name));
  for (let n = cluster.nodes.length; ; n++) {
    if (!taken.has(`worker-${n}`)) return `worker-${n}`;
  }
}
