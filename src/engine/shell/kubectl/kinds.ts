/**
 * The namespaced object kinds `kubectl get` lists from one table each (Services and their
 * endpoints, ConfigMaps and Secrets, workloads, Events): their names and short names, the
 * singular `kind.group` kubectl prints in `kind/name`, the resource named in NotFound, the table
 * headers and the objects. Pods, nodes and namespaces are get.ts's own.
 */
import type { Cluster } from '../../model/cluster';
import { HEADERS as SERVICE_HEADERS, listObjects as listServiceObjects, OBJECT_RESOURCE as SERVICE_RESOURCE, OBJECT_SINGULAR as SERVICE_SINGULAR, resolveObjectKind as resolveServiceKind, type ObjectItem, type ObjectKind as ServiceKind } from './services';
import { listWorkloads, resolveWorkloadKind, WORKLOAD_HEADERS, WORKLOAD_RESOURCE, WORKLOAD_SINGULAR, type WorkloadKind } from './workloads';
import { EVENT_HEADERS, listEvents } from './events';

export type ObjectKind = ServiceKind | WorkloadKind | 'events';

export const OBJECT_SINGULAR: Record<ObjectKind, string> = { ...SERVICE_SINGULAR, ...WORKLOAD_SINGULAR, events: 'event' };
export const OBJECT_RESOURCE: Record<ObjectKind, string> = { ...SERVICE_RESOURCE, ...WORKLOAD_RESOURCE, events: 'events' };
export const HEADERS: Record<ObjectKind, { head: string[]; wide: string[] }> = { ...SERVICE_HEADERS, ...WORKLOAD_HEADERS, events: EVENT_HEADERS };

export function resolveObjectKind(word: string): ObjectKind | undefined {
  const w = word.toLowerCase();
  if (['ev', 'event', 'events', 'events.events.k8s.io'].includes(w)) return 'events';
  return resolveServiceKind(w) ?? resolveWorkloadKind(w);
}

export function listObjects(cluster: Cluster, kind: ObjectKind, namespace: string | null): ObjectItem[] {
  if (kind === 'events') return listEvents(cluster, namespace);
  if (kind === 'deployments' || kind === 'replicasets' || kind === 'daemonsets') return listWorkloads(cluster, kind, namespace);
  return listServiceObjects(cluster, kind, namespace);
}

export type { ObjectItem };
