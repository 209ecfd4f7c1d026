/**
 * The events the controllers and kubelets record while a command runs, through the command's
 * Change (model/events.ts EventRecorder: counted and aggregated as client-go does). Reasons and
 * messages, from the components that record them:
 * - kubelet: `Killing` "Stopping container NAME" (pkg/kubelet/kuberuntime killContainer);
 *   `NodeSchedulable` / `NodeNotSchedulable` "Node NAME status is now: REASON"
 *   (pkg/kubelet/kubelet_node_status.go recordNodeStatusEvent);
 * - replicaset-controller / daemonset-controller: `SuccessfulCreate` "Created pod: NAME",
 *   `SuccessfulDelete` "Deleted pod: NAME" (pkg/controller/controller_utils.go, replica_set.go);
 * - deployment-controller: `ScalingReplicaSet` "Scaled up replica set NAME to N" when it creates
 *   the ReplicaSet, "Scaled up|down replica set NAME to N from M" after (deployment/sync.go).
 */
import type { EventRec, PodRec } from '../model/cluster';
import { podRef } from '../model/events';
import type { Change } from './change';

type Involved = EventRec['involvedObject'];

export class EventLog {
  constructor(private readonly change: Change) {}

  normal(involvedObject: Involved, reason: string, message: string, component: string, host?: string): void {
    this.change.record({ type: 'Normal', reason, message, involvedObject, source: host ? { component, host } : { component } });
  }

  /** kubelet stops each container of a deleted pod. */
  killed(pod: PodRec): void {
    for (const c of pod.containers) this.normal(podRef(pod), 'Killing', `Stopping container ${c.name}`, 'kubelet', pod.nodeName || undefined);
  }
}
