/**
 * `kubectl get` for nodes, pods, namespaces and the object kinds of kinds.ts: the default and `-o wide` tables (the
 * columns of kubectl's built-in printers, pkg/printers/internalversion/printers.go), `-o name|
 * json|yaml|jsonpath=…`, `-n`, `-A`, `-l`, `--show-labels`. Objects are listed in the API
 * server's order (by namespace, then name), tables go through Go's tabwriter like kubectl's.
 */
import type { Cluster, NamespaceRec, NodeRec, PodRec } from '../../model/cluster';
import { namespaceNames } from '../files';
import { GET_TABS, tabwrite } from '../tabwriter';
import { age } from '../time';
import { fail, out, type Out } from '../types';
import { jsonpath } from './jsonpath';
import { EVENT_WIDE_HEAD } from './events';
import { listJson, namespaceJson, nodeJson, nodeLabels, nodeRoles, podIp, podJson } from './objects';
import { toJson, toYaml, type Json } from './output';
import { selectorMatches, type LabelSelector } from '../../model/labelSelector';
import { getFlags, resourceArgs, type Parsed } from './args';
import type { Ctx } from '../types';
import { CLUSTER_SCOPED, HEADERS, listObjects, OBJECT_RESOURCE, OBJECT_SINGULAR, resolveObjectKind, type ObjectItem, type ObjectKind } from './kinds';

export type ResourceKind = 'pods' | 'nodes' | 'namespaces' | ObjectKind;
const isObjectKind = (k: ResourceKind): k is ObjectKind => k in OBJECT_RESOURCE;

/** kubectl's resource names and short names (discovery: `po`, `no`, `ns`). */
export function resolveResource(word: string): ResourceKind | undefined {
  const w = word.toLowerCase();
  if (['po', 'pod', 'pods'].includes(w)) return 'pods';
  if (['no', 'node', 'nodes'].includes(w)) return 'nodes';
  if (['ns', 'namespace', 'namespaces'].includes(w)) return 'namespaces';
  return resolveObjectKind(w);
}

export const SINGULAR: Record<ResourceKind, string> = { pods: 'pod', nodes: 'node', namespaces: 'namespace', ...OBJECT_SINGULAR };

export interface GetFlags {
  namespace: string;
  allNamespaces: boolean;
  output?: string;
  selector?: LabelSelector;
  /** `--field-selector a=b,c!=d`. */
  fieldSelector?: FieldRequirement[];
  showLabels: boolean;
  noHeaders: boolean;
}

const byName = <T extends { meta: { name: string; namespace?: string } }>(a: T, b: T) =>
  (a.meta.namespace ?? '').localeCompare(b.meta.namespace ?? '') || (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0);

function labelsText(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? keys.map((k) => `${k}=${labels[k]}`).join(',') : '<none>';
}

/** Every namespace the cluster shows (kubeadm's four plus the scenario's and the pods'). */
export function allNamespaces(cluster: Cluster): NamespaceRec[] {
  return namespaceNames(cluster).map(
    (name) => cluster.namespaces.get(name) ?? { kind: 'Namespace', meta: { name, labels: {}, annotations: {}, uid: `ns-${name}`, creationTimestamp: '0' } },
  );
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** fields.ParseSelector: `key=value`, `key==value`, `key!=value`, comma-separated. */
export function parseFieldSelector(text: string): FieldRequirement[] | string {
  const reqs: FieldRequirement[] = [];
  for (const part of text.split(',')) {
    if (!part) continue;
    const m = /^([^=!]+)(!=|==|=)(.*)$/.exec(part);
    if (!m) return `error: invalid selector: '${text}'; can't understand '${part}'`;
    reqs.push({ field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() });
  }
  return reqs;
}

/** The fields the API server lets a field selector name, per resource (its field label conversion funcs). */
function fieldsOf(cluster: Cluster, kind: ResourceKind, rec: Item['rec']): Record<string, string> {
  const base: Record<string, string> = { 'metadata.name': rec.meta.name };
  if (kind === 'nodes') return { ...base, 'spec.unschedulable': String(!!(rec as NodeRec).unschedulable) };
  if (kind === 'namespaces') return { ...base, 'status.phase': 'Active' };
  base['metadata.namespace'] = rec.meta.namespace ?? 'default';
  if (kind === 'pods') {
    const p = rec as PodRec;
    return { ...base, 'spec.nodeName': p.nodeName, 'spec.restartPolicy': p.restartPolicy ?? 'Always', 'spec.schedulerName': 'default-scheduler', 'spec.serviceAccountName': 'default', 'spec.hostNetwork': String(p.hostNetwork), 'status.phase': p.phase, 'status.podIP': podIp(cluster, p) ?? '', 'status.nominatedNodeName': '' };
  }
  return { ...base, ...((rec as ObjectItem).fields ?? {}) };
}

const RESOURCE_GVR: Record<string, string> = { pods: '/v1, Resource=pods', nodes: '/v1, Resource=nodes', namespaces: '/v1, Resource=namespaces', events: '/v1, Resource=events', services: '/v1, Resource=services' };

type Item = { kind: ResourceKind; rec: PodRec | NodeRec | NamespaceRec | ObjectItem };

/** Apply `--field-selector`; a field the resource does not have is the API server's BadRequest. */
export function byFields(cluster: Cluster, kind: ResourceKind, items: Item[], f: GetFlags): Item[] | string {
  if (!f.fieldSelector?.length) return items;
  const out: Item[] = [];
  for (const it of items) {
    const fields = fieldsOf(cluster, kind, it.rec);
    let ok = true;
    for (const r of f.fieldSelector) {
      if (!(r.field in fields)) {
        const sel = f.fieldSelector.map((x) => `${x.field}${x.op}${x.value}`).join(',');
        return `Error from server (BadRequest): Unable to find "${RESOURCE_GVR[kind] ?? `/v1, Resource=${kind}`}" that match label selector "", field selector "${sel}": field label not supported: ${r.field}`;
      }
      if ((fields[r.field] === r.value) !== (r.op === '=')) ok = false;
    }
    if (ok) out.push(it);
  }
  return out;
}

function selectObjects(cluster: Cluster, kind: ObjectKind, f: GetFlags, names: string[]): { items: Item[]; missing: string[] } {
  let objs = listObjects(cluster, kind, (f.allNamespaces && !names.length) || CLUSTER_SCOPED.has(kind) ? null : f.namespace);
  const missing: string[] = [];
  if (names.length) {
    const picked: ObjectItem[] = [];
    for (const n of names) {
      const o = objs.find((x) => x.name === n);
      if (o) picked.push(o);
      else missing.push(n);
    }
    objs = picked;
  }
  if (f.selector) objs = objs.filter((o) => selectorMatches(f.selector!, o.labels));
  return { items: objs.map((rec) => ({ kind, rec })), missing };
}

export function select(cluster: Cluster, kind: ResourceKind, f: GetFlags, names: string[]): { items: Item[]; missing: string[] } {
  if (isObjectKind(kind)) return selectObjects(cluster, kind, f, names);
  let recs: (PodRec | NodeRec | NamespaceRec)[];
  if (kind === 'pods') {
    recs = [];
    for (const p of cluster.pods.values()) if (f.allNamespaces || (p.meta.namespace ?? 'default') === f.namespace) recs.push(p);
  } else if (kind === 'nodes') recs = [...cluster.nodes];
  else recs = allNamespaces(cluster);
  const labelsOf = (r: PodRec | NodeRec | NamespaceRec): Record<string, string> => (r.kind === 'Node' ? nodeLabels(r) : r.kind === 'Namespace' ? { 'kubernetes.io/metadata.name': r.meta.name, ...r.meta.labels } : r.meta.labels);
  const missing: string[] = [];
  if (names.length) {
    const picked: typeof recs = [];
    for (const n of names) {
      const r = recs.find((x) => x.meta.name === n);
      if (r) picked.push(r);
      else missing.push(n);
    }
    recs = picked;
  } else recs.sort(byName);
  if (f.selector) recs = recs.filter((r) => selectorMatches(f.selector!, labelsOf(r)));
  return { items: recs.map((rec) => ({ kind, rec })), missing };
}

function toObject(cluster: Cluster, item: Item): Json {
  if (isObjectKind(item.kind)) return (item.rec as ObjectItem).json();
  if (item.kind === 'pods') return podJson(cluster, item.rec as PodRec);
  if (item.kind === 'nodes') return nodeJson(cluster, item.rec as NodeRec);
  return namespaceJson(item.rec as NamespaceRec);
}

function tableOf(cluster: Cluster, kind: ResourceKind, items: Item[], f: GetFlags, prefixKind: boolean): string {
  const wide = f.output === 'wide';
  const rows: string[][] = [];
  const name = (n: string) => (prefixKind ? `${SINGULAR[kind]}/${n}` : n);
  if (isObjectKind(kind)) {
    const head = kind === 'events' && wide ? [...EVENT_WIDE_HEAD] : [...HEADERS[kind].head, ...(wide ? HEADERS[kind].wide : [])];
    const withNs = f.allNamespaces && !CLUSTER_SCOPED.has(kind);
    if (withNs) head.unshift('NAMESPACE');
    if (f.showLabels) head.push('LABELS');
    rows.push(head);
    for (const { rec } of items) {
      const o = rec as ObjectItem;
      const row = o.cells(wide);
      if (kind !== 'events') row[0] = name(row[0]);
      if (withNs) row.unshift(o.namespace);
      if (f.showLabels) row.push(labelsText(o.labels));
      rows.push(row);
    }
  } else if (kind === 'pods') {
    const head = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
    if (wide) head.push('IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES');
    if (f.allNamespaces) head.unshift('NAMESPACE');
    if (f.showLabels) head.push('LABELS');
    rows.push(head);
    for (const { rec } of items) {
      const p = rec as PodRec;
      const n = p.containers.length;
      // The pod's status detail (Pending, ContainerCreating, OutOfpods …) is what kubectl's printer shows (status.reason or the waiting reason).
      const status = podStatusColumn(p);
      const row = [name(p.meta.name), `${p.ready ? n : 0}/${n}`, status, '0', age(p.meta, cluster.now)];
      if (wide) row.push(podIp(cluster, p) ?? '<none>', p.nodeName || '<none>', '<none>', '<none>');
      if (f.allNamespaces) row.unshift(p.meta.namespace ?? 'default');
      if (f.showLabels) row.push(labelsText(p.meta.labels));
      rows.push(row);
    }
  } else if (kind === 'nodes') {
    const head = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
    if (wide) head.push('INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME');
    if (f.showLabels) head.push('LABELS');
    rows.push(head);
    for (const { rec } of items) {
      const nd = rec as NodeRec;
      // kubectl's node printer appends SchedulingDisabled for spec.unschedulable.
      const row = [name(nd.meta.name), nd.unschedulable ? 'Ready,SchedulingDisabled' : 'Ready', nodeRoles(nd), age(nd.meta, cluster.now), cluster.config.kubernetesVersion];
      if (wide) row.push(ipText(nd.ip), '<none>', nd.osImage, nd.kernelVersion, nd.containerRuntime);
      if (f.showLabels) row.push(labelsText(nodeLabels(nd)));
      rows.push(row);
    }
  } else {
    const head = ['NAME', 'STATUS', 'AGE'];
    if (f.showLabels) head.push('LABELS');
    rows.push(head);
    for (const { rec } of items) {
      const row = [name(rec.meta.name), 'Active', age(rec.meta, cluster.now)];
      if (f.showLabels) row.push(labelsText({ 'kubernetes.io/metadata.name': rec.meta.name, ...rec.meta.labels }));
      rows.push(row);
    }
  }
  if (f.noHeaders) rows.shift();
  return tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', GET_TABS);
}

function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/**
 * `-o custom-columns=NAME:.metadata.name,CIDR:.spec.podCIDR`: one column per HEADER:JSONPATH spec,
 * a missing field printed `<none>`, several results joined by commas (kubectl's
 * printers/customcolumn.go: NewCustomColumnsPrinterFromSpec, printOneObject).
 */
function customColumns(spec: string, objs: Json[], noHeaders: boolean): string | { error: string } {
  const cols: { head: string; path: string }[] = [];
  for (const part of spec.split(',')) {
    const colon = part.indexOf(':');
    if (colon <= 0) return { error: `error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>` };
    const path = part.slice(colon + 1);
    cols.push({ head: part.slice(0, colon), path: /^\{.*\}$/s.test(path) ? path : `{${path.startsWith('.') ? path : `.${path}`}}` });
  }
  const rows: string[][] = noHeaders ? [] : [cols.map((c) => c.head)];
  for (const obj of objs) {
    rows.push(cols.map((c) => {
      const r = jsonpath(c.path, obj);
      const text = r.ok ? r.text : '';
      if (text === '') return '<none>';
      return /\[\*\]|\.\./.test(c.path) ? text.split(' ').join(',') : text;
    }));
  }
  return tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', GET_TABS);
}

/** `v1.33.1` ≥ 1.33? */
export function atLeast(version: string, major: number, minor: number): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return !!m && (Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor));
}

/** Run `kubectl get` for one or more resource kinds (`nodes,pods`) and optional names. */
export function get(cluster: Cluster, kinds: ResourceKind[], names: string[], f: GetFlags): Out {
  const o = f.output;
  if (o && !/^(wide|name|json|yaml|jsonpath=.*|jsonpath-as-json=.*|custom-columns=.*)$/s.test(o)) {
    return fail(`error: unable to match a printer suitable for the output format "${o}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`);
  }
  let stdout = '';
  let stderr = '';
  let status = 0;
  const all: Item[] = [];
  const single = names.length === 1 && kinds.length === 1;
  // v1 Endpoints carries the API server's deprecation warning from v1.33 (KEP-4974).
  if (kinds.includes('endpoints') && atLeast(cluster.config.kubernetesVersion, 1, 33)) stderr += 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n';
  for (const kind of kinds) {
    const { items, missing } = select(cluster, kind, f, names);
    for (const m of missing) {
      stderr += `Error from server (NotFound): ${isObjectKind(kind) ? OBJECT_RESOURCE[kind] : kind} "${m}" not found\n`;
      status = 1;
    }
    const kept = byFields(cluster, kind, items, f);
    if (typeof kept === 'string') return fail(kept);
    all.push(...kept);
  }
  if (o === 'json' || o === 'yaml' || o?.startsWith('jsonpath')) {
    const objs = all.map((it) => toObject(cluster, it));
    const data: Json = single && all.length === 1 ? objs[0] : listJson(objs);
    if (single && all.length === 0) return out('', stderr, status);
    if (o === 'json') stdout = toJson(data);
    else if (o === 'yaml') stdout = toYaml(data);
    else {
      const r = jsonpath(o.slice(o.indexOf('=') + 1), data);
      if (!r.ok) return fail(r.error);
      stdout = r.text;
    }
    return out(stdout, stderr, status);
  }
  if (o?.startsWith('custom-columns=')) {
    const text = customColumns(o.slice('custom-columns='.length), all.map((it) => toObject(cluster, it)), f.noHeaders);
    if (typeof text !== 'string') return fail(text.error);
    if (!all.length && !names.length) stderr += f.allNamespaces || kinds.every((k) => !isObjectKind(k) || CLUSTER_SCOPED.has(k)) ? 'No resources found\n' : `No resources found in ${f.namespace} namespace.\n`;
    return out(text, stderr, status);
  }
  if (o === 'name') {
    for (const it of all) stdout += `${SINGULAR[it.kind]}/${it.rec.meta.name}\n`;
    return out(stdout, stderr, status);
  }
  const multi = kinds.length > 1;
  const tables: string[] = [];
  for (const kind of kinds) {
    const items = all.filter((i) => i.kind === kind);
    if (items.length) tables.push(tableOf(cluster, kind, items, f, multi));
  }
  stdout = tables.join('\n');
  if (!all.length && !names.length) {
    const scoped = kinds.every((k) => k === 'pods' || (isObjectKind(k) && !CLUSTER_SCOPED.has(k)));
    stderr += scoped && !f.allNamespaces ? `No resources found in ${f.namespace} namespace.\n` : 'No resources found\n';
  }
  return out(stdout, stderr, status);
}

/** The `get` verb: every kind through the same printers. */
export function cmdGet(p: Parsed, ctx: Ctx): Out {
  const f = getFlags(p);
  if (typeof f === 'string') return fail(f);
  const r = resourceArgs(p.positional);
  if ('status' in r) return r;
  return get(ctx.session.cluster, r.kinds, r.names, f);
}

/** The STATUS column of `kubectl get pods`: the pod's status detail (Pending, ContainerCreating, OutOfpods …, status.reason or the waiting reason), else its phase as kubectl's printer words it. */
export function podStatusColumn(p: PodRec): string {
  return p.status?.display ?? (p.phase === 'Pending' ? 'ContainerCreating' : p.phase === 'Succeeded' ? 'Completed' : p.phase === 'Failed' ? 'Error' : p.phase);
}
