/**
 * Events the controllers and kubelets record while a command runs, as core/v1 Events
 * (`kubectl get events`, describe's Events section). A repeat of the same event (same object,
 * reason, message and source) bumps the last one's count and lastTimestamp, as client-go's
 * EventCorrelator aggregates them, instead of adding a copy. Times are the simulated clock.
 *
 * Reasons and messages, from the components that record them:
 * - kubelet: `Killing` "Stopping container NAME" (pkg/kubelet/kuberuntime killContainer);
 *   `NodeSchedulable` / `NodeNotSchedulable` "Node NAME status is now: REASON"
 *   (pkg/kubelet/kubelet_node_status.go recordNodeStatusEvent);
 * - replicaset-controller / daemonset-controller: `SuccessfulCreate` "Created pod: NAME",
 *   `SuccessfulDelete` "Deleted pod: NAME" (pkg/controller/controller_utils.go, replica_set.go);
 * - deployment-controller: `ScalingReplicaSet` "Scaled up replica set NAME to N" when it creates
 *   the ReplicaSet, "Scaled up|down replica set NAME to N from M" after (deployment/sync.go).
 */
import type { Cluster, EventRec, PodRec } from '../model/cluster';

type Involved = EventRec['involvedObject'];

export class EventLog {
  readonly added: EventRec[] = [];

  constructor(readonly now: number) {}

  record(type: EventRec['type'], involvedObject: Involved, reason: string, message: string, source: EventRec['source']): void {
    const last = this.added[this.added.length - 1];
    if (last && last.reason === reason && last.message === message && sameObject(last.involvedObject, involvedObject) && last.source.component === source.component) {
      last.count++;
      last.lastTimestamp = this.now;
      return;
    }
    this.added.push({ type, reason, message, involvedObject, source, firstTimestamp: this.now, lastTimestamp: this.now, count: 1 });
  }

  normal(involvedObject: Involved, reason: string, message: string, component: string, host?: string): void {
    this.record('Normal', involvedObject, reason, message, host ? { component, host } : { component });
  }

  /** kubelet stops each container of a deleted pod. */
  killed(pod: PodRec): void {
    for (const c of pod.containers) this.normal(podRef(pod), 'Killing', `Stopping container ${c.name}`, 'kubelet', pod.nodeName || undefined);
  }

  /** The cluster's events with these appended (a new array; the input is not changed). */
  appendTo(cluster: Cluster): EventRec[] | undefined {
    if (!this.added.length) return cluster.events;
    return [...(cluster.events ?? []), ...this.added];
  }
}

export function podRef(pod: PodRec): Involved {
  return { kind: 'Pod', namespace: pod.meta.namespace ?? 'default', name: pod.meta.name, uid: pod.meta.uid };
}

function sameObject(a: Involved, b: Involved): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}
