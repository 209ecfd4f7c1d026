/**
 * The object kinds `kubectl get` lists from one table each (Services and their endpoints,
 * ConfigMaps and Secrets, workloads, Events, NetworkPolicies, Ingresses and IngressClasses), so
 * every one honours every output format (-o wide|name|json|yaml|jsonpath|custom-columns): their names and short names, the
 * singular `kind.group` kubectl prints in `kind/name`, the resource named in NotFound, the table
 * headers and the objects. Pods, nodes and namespaces are get.ts's own.
 */
import type { Cluster } from '../../model/cluster';
import { HEADERS as SERVICE_HEADERS, listObjects as listServiceObjects, OBJECT_RESOURCE as SERVICE_RESOURCE, OBJECT_SINGULAR as SERVICE_SINGULAR, resolveObjectKind as resolveServiceKind, type ObjectItem, type ObjectKind as ServiceKind } from './services';
import { listWorkloads, resolveWorkloadKind, WORKLOAD_HEADERS, WORKLOAD_RESOURCE, WORKLOAD_SINGULAR, type WorkloadKind } from './workloads';
import { EVENT_HEADERS, listEvents } from './events';
import { INGRESS_HEADERS, listIngressClasses, listIngresses, resourceOf as resolveIngressKind } from './ingress';
import { isNetpolResource, listNetpols, NETPOL_HEADERS } from './netpol';

type NetworkingKind = 'networkpolicies' | 'ingresses' | 'ingressclasses';
export type ObjectKind = ServiceKind | WorkloadKind | NetworkingKind | 'events';

const NETWORKING_SINGULAR: Record<NetworkingKind, string> = { networkpolicies: 'networkpolicy.networking.k8s.io', ingresses: 'ingress.networking.k8s.io', ingressclasses: 'ingressclass.networking.k8s.io' };
const NETWORKING_RESOURCE: Record<NetworkingKind, string> = { networkpolicies: 'networkpolicies.networking.k8s.io', ingresses: 'ingresses.networking.k8s.io', ingressclasses: 'ingressclasses.networking.k8s.io' };

export const OBJECT_SINGULAR: Record<ObjectKind, string> = { ...SERVICE_SINGULAR, ...WORKLOAD_SINGULAR, ...NETWORKING_SINGULAR, events: 'event' };
export const OBJECT_RESOURCE: Record<ObjectKind, string> = { ...SERVICE_RESOURCE, ...WORKLOAD_RESOURCE, ...NETWORKING_RESOURCE, events: 'events' };
export const HEADERS: Record<ObjectKind, { head: string[]; wide: string[] }> = { ...SERVICE_HEADERS, ...WORKLOAD_HEADERS, networkpolicies: NETPOL_HEADERS, ...INGRESS_HEADERS, events: EVENT_HEADERS };

/** Kinds without a namespace (no NAMESPACE column with -A; `-n` does not filter them). */
export const CLUSTER_SCOPED: ReadonlySet<ObjectKind> = new Set<ObjectKind>(['ingressclasses']);

export function resolveObjectKind(word: string): ObjectKind | undefined {
  const w = word.toLowerCase();
  if (['ev', 'event', 'events', 'events.events.k8s.io'].includes(w)) return 'events';
  if (isNetpolResource(w)) return 'networkpolicies';
  return resolveServiceKind(w) ?? resolveWorkloadKind(w) ?? resolveIngressKind(w);
}

export function listObjects(cluster: Cluster, kind: ObjectKind, namespace: string | null): ObjectItem[] {
  if (kind === 'events') return listEvents(cluster, namespace);
  if (kind === 'networkpolicies') return listNetpols(cluster, namespace);
  if (kind === 'ingresses') return listIngresses(cluster, namespace);
  if (kind === 'ingressclasses') return listIngressClasses(cluster);
  if (kind === 'deployments' || kind === 'replicasets' || kind === 'daemonsets') return listWorkloads(cluster, kind, namespace);
  return listServiceObjects(cluster, kind, namespace);
}

export type { ObjectItem };
