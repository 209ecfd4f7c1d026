/**
 * Events as kubectl shows them, read from `Cluster.events` (what the scheduler, kubelets and
 * controllers recorded): `kubectl get events` (printers.go printEvent: LAST SEEN, TYPE, REASON,
 * OBJECT, MESSAGE; `-o wide` adds SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME; a repeated event
 * shows `5m (x3 over 10m)`) and describe's Events section (describe.go DescribeEvents: sorted by
 * last timestamp, `Type Reason Age From Message`, flushed as a table of its own).
 * An event's name is client-go's `<object>.<first timestamp in ns, hex>` (tools/record/event.go
 * makeEvent), so the API server's name order lists them by object, then by time.
 */
import type { Cluster, EventRec, ObjectMeta } from '../../model/cluster';
import { EPOCH_MS } from '../../sim/clock';
import { makeUid } from '../../scenario/meta';
import { DESCRIBE_TABS, GET_TABS, tabwrite } from '../tabwriter';
import { humanDuration, rfc3339 } from '../time';
import { metaJson } from './objects';
import type { Json } from './output';
import type { ObjectItem } from './services';

export const EVENT_HEADERS = { head: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], wide: [] as string[] };
/** -o wide replaces the columns (printEvent's wide row). */
export const EVENT_WIDE_HEAD = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'];

/** `frontend.17a1b2c3d4e5f607`: the involved object's name and the first timestamp in nanoseconds, hex. */
export function eventName(e: EventRec): string {
  const ns = (BigInt(EPOCH_MS) + BigInt(Math.round(e.firstTimestamp * 1000))) * 1000000n;
  return `${e.involvedObject.name}.${ns.toString(16)}`;
}

const since = (cluster: Cluster, t: number) => humanDuration(cluster.now - t);

/** LAST SEEN: `5m`, or `5m (x3 over 10m)` for a counted event. */
function lastSeen(cluster: Cluster, e: EventRec): string {
  const last = since(cluster, e.lastTimestamp);
  return e.count > 1 ? `${last} (x${e.count} over ${since(cluster, e.firstTimestamp)})` : last;
}

/** formatEventSource: `component, host` (or the component alone). */
const sourceText = (e: EventRec) => (e.source.host ? `${e.source.component}, ${e.source.host}` : e.source.component);

function eventMeta(e: EventRec): ObjectMeta {
  const name = eventName(e);
  const ns = e.involvedObject.namespace ?? 'default';
  return { name, namespace: ns, labels: {}, annotations: {}, uid: makeUid('Event', ns, name, String(e.firstTimestamp)), creationTimestamp: String(e.firstTimestamp) };
}

/** Fields a `--field-selector` can name on an Event (the API server's event field set). */
function eventFields(e: EventRec, meta: ObjectMeta): Record<string, string> {
  const o = e.involvedObject;
  return {
    'metadata.name': meta.name,
    'metadata.namespace': meta.namespace ?? '',
    'involvedObject.kind': o.kind,
    'involvedObject.namespace': o.namespace ?? '',
    'involvedObject.name': o.name,
    'involvedObject.uid': o.uid ?? '',
    'involvedObject.apiVersion': apiVersionOf(o.kind),
    'involvedObject.resourceVersion': '',
    'involvedObject.fieldPath': '',
    reason: e.reason,
    reportingComponent: '',
    source: e.source.component,
    type: e.type,
  };
}

const apiVersionOf = (kind: string) => (['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'].includes(kind) ? 'apps/v1' : 'v1');

function eventJson(e: EventRec, meta: ObjectMeta): Json {
  const o = e.involvedObject;
  const involved: Record<string, Json> = { apiVersion: apiVersionOf(o.kind), kind: o.kind, name: o.name };
  if (o.namespace) involved.namespace = o.namespace;
  if (o.uid) involved.uid = o.uid;
  const source: Record<string, Json> = { component: e.source.component };
  if (e.source.host) source.host = e.source.host;
  return {
    apiVersion: 'v1',
    count: e.count,
    eventTime: null,
    firstTimestamp: rfc3339(e.firstTimestamp),
    involvedObject: involved,
    kind: 'Event',
    lastTimestamp: rfc3339(e.lastTimestamp),
    message: e.message,
    metadata: metaJson(meta),
    reason: e.reason,
    reportingComponent: '',
    reportingInstance: '',
    source,
    type: e.type,
  };
}

/** The events of a namespace (or all), in the API server's order (namespace, then name). */
export function listEvents(cluster: Cluster, namespace: string | null): ObjectItem[] {
  const items: (ObjectItem & { fields: Record<string, string> })[] = [];
  for (const e of cluster.events ?? []) {
    const meta = eventMeta(e);
    if (namespace !== null && meta.namespace !== namespace) continue;
    const target = `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}`;
    items.push({
      name: meta.name,
      namespace: meta.namespace!,
      labels: {},
      meta,
      fields: eventFields(e, meta),
      cells: (wide) =>
        wide
          ? [lastSeen(cluster, e), e.type, e.reason, target, '', sourceText(e), e.message.trim(), since(cluster, e.firstTimestamp), String(e.count), meta.name]
          : [lastSeen(cluster, e), e.type, e.reason, target, e.message.trim()],
      json: () => eventJson(e, meta),
    });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return items.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}

/**
 * `kubectl events` (k8s.io/kubectl/pkg/cmd/events, kubectl ≥ 1.26): the namespace's events (or
 * all, with a NAMESPACE column), `--for KIND/NAME` as the field selector involvedObject.kind/name,
 * `--types` (Normal, Warning; any case), sorted by last time (SortableEvents). event_printer.go
 * prints OBJECT as `Kind/name` (the kind as the API names it) and LAST SEEN as `get events` does.
 * No event is a line on stderr, `No events found in NS namespace.`, and exit 0.
 */
export function eventsCommand(cluster: Cluster, o: { namespace: string | null; forKind?: string; forName?: string; types: string[] }): { stdout: string; stderr: string } {
  // The API server's list order (namespace, then name), as listEvents gives it.
  const key = (e: EventRec) => `${e.involvedObject.namespace ?? 'default'}\u0000${eventName(e)}`;
  const items = [...(cluster.events ?? [])].filter((e) => o.namespace === null || (e.involvedObject.namespace ?? 'default') === o.namespace).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const picked = items.filter((e) => (o.forKind === undefined || (e.involvedObject.kind === o.forKind && e.involvedObject.name === o.forName)) && (!o.types.length || o.types.some((t) => t.toLowerCase() === e.type.toLowerCase())));
  if (!picked.length) return { stdout: '', stderr: o.namespace === null ? 'No events found.\n' : `No events found in ${o.namespace} namespace.\n` };
  const sorted = picked.map((e, i) => ({ e, i })).sort((a, b) => a.e.lastTimestamp - b.e.lastTimestamp || a.i - b.i).map((x) => x.e);
  const head = [...(o.namespace === null ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  const rows = sorted.map((e) => [...(o.namespace === null ? [e.involvedObject.namespace ?? 'default'] : []), lastSeen(cluster, e), e.type, e.reason, `${e.involvedObject.kind}/${e.involvedObject.name}`, e.message.trim()]);
  return { stdout: tabwrite([head, ...rows].map((r) => r.join('\t')).join('\n') + '\n', GET_TABS), stderr: '' };
}

/** The events about one object (describe's search: kind, name, namespace and, when known, uid). */
export function eventsFor(cluster: Cluster, kind: string, namespace: string | undefined, name: string, uid?: string): EventRec[] {
  return (cluster.events ?? []).filter((e) => {
    const o = e.involvedObject;
    return o.kind === kind && o.name === name && (o.namespace ?? undefined) === (namespace ?? undefined) && (!uid || !o.uid || o.uid === uid);
  });
}

/**
 * describe's Events section: `Events:\t<none>` inside the description's table, or (after a flush)
 * a table of its own sorted by last timestamp. Returns the line for the main table and the block.
 */
export function describeEvents(cluster: Cluster, events: EventRec[]): { line?: string; block?: string } {
  if (!events.length) return { line: 'Events:\t<none>' };
  const sorted = [...events].sort((a, b) => a.lastTimestamp - b.lastTimestamp);
  const rows = ['Events:', '  Type\tReason\tAge\tFrom\tMessage', '  ----\t------\t----\t----\t-------'];
  for (const e of sorted) {
    const first = since(cluster, e.firstTimestamp);
    const interval = e.count > 1 ? `${since(cluster, e.lastTimestamp)} (x${e.count} over ${first})` : first;
    rows.push(`  ${e.type}\t${e.reason}\t${interval}\t${e.source.component}\t${e.message.trim()}`);
  }
  return { block: tabwrite(rows.join('\n') + '\n', DESCRIBE_TABS) };
}
