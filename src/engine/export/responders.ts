/**
 * Which TCP ports each pod's responder listens on: the ports Services send to it (their
 * resolved target ports), and the TCP ports its containers declare, so a teacher can also
 * connect to a pod directly. Keyed by the namespace the pod's sockets live in (its own, or its
 * node's for hostNetwork pods).
 */
import type { Cluster, PodRec } from '../model/cluster';
import { netnsId, type NetnsId } from '../model/ids';
import { serviceTargets } from './services';

export interface Responder {
  netns: NetnsId;
  /** What the responder answers with: the pod's `namespace/name`. */
  pod: string;
  ports: number[];
}

export function respondersOf(cluster: Cluster): Responder[] {
  const ports = new Map<string, Set<number>>();
  const add = (podKey: string, port: number) => {
    let set = ports.get(podKey);
    if (!set) ports.set(podKey, (set = new Set()));
    set.add(port);
  };
  for (const [key, pod] of cluster.pods) {
    for (const c of pod.containers) for (const p of c.ports) if (p.protocol === 'TCP') add(key, p.containerPort);
  }
  for (const t of serviceTargets(cluster)) if (t.protocol === 'TCP') add(t.pod, t.port);

  const out: Responder[] = [];
  for (const [key, pod] of cluster.pods) {
    const set = ports.get(key);
    const netns = socketNetns(pod);
    if (!set || !netns) continue;
    out.push({ netns, pod: key, ports: [...set].sort((a, b) => a - b) });
  }
  return out;
}

function socketNetns(pod: PodRec): NetnsId | undefined {
  if (pod.hostNetwork) return pod.nodeName ? netnsId.node(pod.nodeName) : undefined;
  return pod.attachment ? netnsId.pod(pod.meta.namespace ?? 'default', pod.meta.name) : undefined;
}
