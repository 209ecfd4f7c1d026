/**
 * Recording core/v1 Events into `Cluster.events` as client-go's event recorder does before it
 * writes to the API server (k8s.io/client-go/tools/record/events_cache.go EventCorrelator):
 * - an event equal to one already recorded (same source, involved object, type, reason and
 *   message) is counted: `count` + 1 and `lastTimestamp` moves, `firstTimestamp` stays
 *   (eventLogger.eventObserve);
 * - events that differ only by message are aggregated once 10 distinct messages were seen for the
 *   same source, object, type and reason within 600 s (EventAggregator, defaultAggregateMaxEvents,
 *   defaultAggregateIntervalInSeconds): from then on one event counts them, its message
 *   `(combined from similar events): <latest message>` (EventAggregatorByReasonMessageFunc).
 * Times are the simulated clock (`Cluster.now`), so recording is deterministic. The recorder
 * copies the list on its first write (the cluster it came from is not changed).
 */
import type { CniMode, EventRec, PodRec, PodStatusDetail } from './cluster';

const MAX_EVENTS = 10;
const INTERVAL_SECONDS = 600;
const COMBINED = '(combined from similar events): ';

export type NewEvent = Omit<EventRec, 'firstTimestamp' | 'lastTimestamp' | 'count'>;

const objectKey = (e: NewEvent) => {
  const o = e.involvedObject;
  return `${e.source.component}\u0000${e.source.host ?? ''}\u0000${o.kind}\u0000${o.namespace ?? ''}\u0000${o.name}\u0000${o.uid ?? ''}\u0000${e.type}\u0000${e.reason}`;
};

interface Aggregate {
  messages: Set<string>;
  last: number;
}

/**
 * The index a recorder built for the list it produced, handed to the next recorder that starts
 * from that list (the next command), so recording costs the same whatever the number of events
 * already held. Taken, not shared: a second recorder from the same list (an undo, a branch)
 * builds its own.
 */
const handed = new WeakMap<EventRec[], { index: Map<string, number>; aggregates: Map<string, Aggregate> }>();

export class EventRecorder {
  private list: EventRec[];
  private copied = false;
  private index?: Map<string, number>;
  private aggregates = new Map<string, Aggregate>();

  constructor(events: EventRec[] | undefined) {
    this.list = events ?? [];
  }

  /** The events, oldest first (the input array itself when nothing was recorded). */
  get events(): EventRec[] {
    if (this.copied && this.index) handed.set(this.list, { index: this.index, aggregates: this.aggregates });
    return this.list;
  }

  /**
   * Index of the recorded events by their full key, and the aggregation state they imply, built on
   * first use (O(events) once per recorder).
   */
  private keys(): Map<string, number> {
    if (!this.index) {
      const index = new Map<string, number>();
      this.list.forEach((e, i) => {
        const aggKey = objectKey(e);
        const combined = e.message.startsWith(COMBINED);
        index.set(`${aggKey}\u0000${combined ? COMBINED : e.message}`, i);
        let agg = this.aggregates.get(aggKey);
        if (!agg) this.aggregates.set(aggKey, (agg = { messages: new Set(), last: e.lastTimestamp }));
        agg.last = Math.max(agg.last, e.lastTimestamp);
        if (!combined && agg.messages.size < MAX_EVENTS - 1) agg.messages.add(e.message);
      });
      this.index = index;
    }
    return this.index;
  }

  record(e: NewEvent, now: number): void {
    if (!this.copied && !this.index) {
      const h = handed.get(this.list);
      if (h) {
        handed.delete(this.list);
        this.index = h.index;
        this.aggregates = h.aggregates;
      }
    }
    if (!this.copied) {
      this.list = [...this.list];
      this.copied = true;
    }
    const keys = this.keys();
    const aggKey = objectKey(e);
    let agg = this.aggregates.get(aggKey);
    if (!agg || now - agg.last > INTERVAL_SECONDS) this.aggregates.set(aggKey, (agg = { messages: new Set(), last: now }));
    agg.last = now;
    agg.messages.add(e.message);
    let key = `${aggKey}\u0000${e.message}`;
    let event = e;
    if (agg.messages.size >= MAX_EVENTS) {
      // Do not grow the set past the limit (events_cache.go: localKeys.PopAny()).
      agg.messages.delete(e.message);
      key = `${aggKey}\u0000${COMBINED}`;
      event = { ...e, message: COMBINED + e.message };
    }
    const at = keys.get(key);
    if (at !== undefined) {
      const old = this.list[at];
      this.list[at] = { ...old, message: event.message, lastTimestamp: now, count: old.count + 1 };
      return;
    }
    keys.set(key, this.list.length);
    this.list.push({ ...event, firstTimestamp: now, lastTimestamp: now, count: 1 });
  }
}

/** The involved object of a pod's events. */
export const podRef = (p: { meta: { name: string; namespace?: string; uid: string } }) => ({ kind: 'Pod', namespace: p.meta.namespace ?? 'default', name: p.meta.name, uid: p.meta.uid });

/** The `type` of each plugin's CNI configuration (the first plugin of its conflist), as libcni names it in errors. */
const CNI_TYPE: Record<CniMode, string> = {
  flannel: 'flannel',
  'flannel-host-gw': 'flannel',
  calico: 'calico',
  'calico-ipip': 'calico',
  'calico-vxlan': 'calico',
  cilium: 'cilium-cni',
  'cilium-native': 'cilium-cni',
  weave: 'weave-net',
  'aws-vpc': 'aws-cni',
  'azure-cni': 'azure-vnet',
  'azure-cni-overlay': 'azure-vnet',
  gke: 'ptp',
  'gke-dataplane-v2': 'ptp',
};

/**
 * The FailedCreatePodSandBox message kubelet records when the CNI ADD fails: kuberuntime
 * `Failed to create pod sandbox: %v` over the CRI's gRPC status (`rpc error: code = Unknown desc =`),
 * containerd's `failed to setup network for sandbox %q: %w` and libcni's `plugin type=%q failed (add): %w`
 * (as in flannel-io/flannel#2264: `… plugin type="flannel" failed (add): failed to allocate for range 0: no IP addresses available in range set: …`).
 */
export function sandboxFailure(cni: CniMode, sandboxId: string, cniError: string): string {
  return `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandboxId}": plugin type="${CNI_TYPE[cni]}" failed (add): ${cniError}`;
}

/** Stuck in ContainerCreating: the sandbox cannot get its network (message: the last FailedCreatePodSandBox event's). */
export const containerCreating = (message: string): PodStatusDetail => ({ display: 'ContainerCreating', reason: 'ContainerCreating', message });

/** Event sources, shared by every event they report (events are never changed in place). */
export const SCHEDULER: EventRec['source'] = { component: 'default-scheduler' };

/** schedule_one.go: the Scheduled event of a pod the scheduler bound (`Successfully assigned %v/%v to %v`). */
export const scheduled = (p: PodRec): NewEvent => ({ type: 'Normal', reason: 'Scheduled', message: scheduledMessage(p, p.nodeName), involvedObject: podRef(p), source: SCHEDULER });

/** The Scheduled event as first recorded at `at` (load time: nothing to count it with); one literal, no spread: 150,000 of them at load. */
export const scheduledEvent = (p: PodRec, at: number): EventRec => ({
  type: 'Normal',
  reason: 'Scheduled',
  message: scheduledMessage(p, p.nodeName),
  involvedObject: podRef(p),
  source: SCHEDULER,
  firstTimestamp: at,
  lastTimestamp: at,
  count: 1,
});

/** schedule_one.go: the Scheduled event's message. */
export const scheduledMessage = (p: { meta: { name: string; namespace?: string } }, node: string) => `Successfully assigned ${p.meta.namespace ?? 'default'}/${p.meta.name} to ${node}`;

/** The event kubelet or the scheduler recorded for a pod's status detail (none for a Running pod). */
export function statusEvent(pod: PodRec): NewEvent | undefined {
  const s = pod.status;
  if (!s) return undefined;
  const involvedObject = podRef(pod);
  if (s.reason === 'Unschedulable') return { type: 'Warning', reason: 'FailedScheduling', message: s.message ?? '', involvedObject, source: SCHEDULER };
  if (s.reason === 'ContainerCreating') return { type: 'Warning', reason: 'FailedCreatePodSandBox', message: s.message ?? '', involvedObject, source: { component: 'kubelet', host: pod.nodeName } };
  if (pod.phase === 'Failed' && s.reason) {
    // kubelet.go rejectPod: the event carries the admission message, the status "Pod was rejected: " + it.
    const message = (s.message ?? '').replace(/^Pod was rejected: /, '');
    return { type: 'Warning', reason: s.reason, message, involvedObject, source: { component: 'kubelet', host: pod.nodeName } };
  }
  return undefined;
}
