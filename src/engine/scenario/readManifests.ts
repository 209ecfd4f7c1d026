/**
 * Turns parsed Kubernetes objects into records and decls, validating as the API server does:
 * supported kind and apiVersion, strict field names, ObjectMeta (name, namespace, labels),
 * per-kind specs, and duplicates. Nothing here depends on the cluster config or on other
 * objects (namespaces, nodes, Service ranges are checked once everything is read), and
 * workloads are not expanded yet: the result keeps document order for that.
 */
import { Cidr, parseIpv4 } from '../addressing/ipv4';
import type { ManifestRec, NamespaceRec, ObjectMeta, Taint, WorkloadRec } from '../model/cluster';
import type { SourceRef } from '../model/source';
import type { NodeDecl, PodDecl } from './types';
import {
  alreadyExists,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  invalid,
  noMatchForKind,
  required,
  unknownField,
  unsupported,
} from './messages';
import { makeUid, timestampText } from './meta';
import { isPlainObject, type RawObject } from './parseFiles';
import { readPodSpec, type PodSpecDecl } from './podSpec';
import { fieldPath, type ObjectPlace, type Problems } from './problems';
import { API_VERSION, CRD_KINDS, SCHEMAS, decodeObject } from './schema';
import { validateAnnotations, validateLabels } from './labels';
import { validateEndpointSlice, validateEndpoints } from './endpointsValidation';
import { validateNetworkPolicy } from '../policy/validate';
import { readSelector, selectorMatches } from '../model/labelSelector';
import { validateIngress, validateIngressClass } from '../ingress/validate';

export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';
/** Before v1.24 kubeadm labelled control-plane nodes `node-role.kubernetes.io/master`. */
const LEGACY_MASTER_LABEL = 'node-role.kubernetes.io/master';
/** kubelet's default --max-pods. */
export const DEFAULT_MAX_PODS = 110;

export const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

export interface PodTemplateDecl {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: PodSpecDecl;
}

/** Pods and workloads in document order: workload pods are created where the workload appears. */
export type Entry = { kind: 'pod'; pod: PodDecl } | { kind: 'workload'; workload: WorkloadRec; template: PodTemplateDecl };

export interface Manifests {
  /** `kind: Cluster` documents, read by clusterConfig.ts. */
  clusters: RawObject[];
  namespaces: NamespaceRec[];
  nodes: NodeDecl[];
  entries: Entry[];
  objects: ManifestRec[];
}

const CLUSTER_SCOPED = new Set(['Namespace', 'Node', 'Cluster', 'IngressClass']);

export function objectName(kind: string, namespace: string | undefined, name: string): string {
  return namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}

/** `Kind/namespace/name` key for duplicate detection (API group folded into the kind). */
export const keyOf = (kind: string, meta: ObjectMeta) => objectName(kind, meta.namespace ?? '', meta.name);

/** A map[string]string the decoder accepted (schema.ts): its string entries. */
function stringMap(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) return {};
  for (const k in value) if (typeof value[k] !== 'string') return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return value as Record<string, string>;
}

function nameProblems(kind: string, name: string): string[] {
  if (kind === 'Namespace') return dns1123Label(name);
  if (kind === 'Service') return dns1035Label(name);
  return dns1123Subdomain(name);
}

function readOwnerReferences(value: unknown): ObjectMeta['ownerReferences'] {
  if (!Array.isArray(value)) return undefined;
  const refs = value.filter(isPlainObject).map((o) => {
    const ref: NonNullable<ObjectMeta['ownerReferences']>[number] = {
      apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : '',
      kind: typeof o.kind === 'string' ? o.kind : '',
      name: typeof o.name === 'string' ? o.name : '',
      uid: typeof o.uid === 'string' ? o.uid : '',
    };
    if (typeof o.controller === 'boolean') ref.controller = o.controller;
    return ref;
  });
  return refs.length ? refs : undefined;
}

/** `Kind/namespace/name` of an object as far as its metadata says, before it is decoded. */
function nameObject(kind: string, v: Record<string, unknown>, place: ObjectPlace): { name: string; namespace?: string } {
  const m = isPlainObject(v.metadata) ? v.metadata : {};
  const name = typeof m.name === 'string' ? m.name : '';
  const namespace = CLUSTER_SCOPED.has(kind) ? undefined : typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : 'default';
  // An object without a usable name is not named in errors (kubectl cannot name it either).
  place.object = name === '' ? '' : objectName(kind, namespace, name);
  return namespace === undefined ? { name } : { name, namespace };
}

/** ObjectMeta of a decoded top-level object; `created` is used when the file records no creationTimestamp. */
function readMeta(kind: string, v: Record<string, unknown>, place: ObjectPlace, created: number, problems: Problems): ObjectMeta {
  const m = isPlainObject(v.metadata) ? v.metadata : {};
  const { name, namespace } = nameObject(kind, v, place);
  // kubectl apply (apply.go): a generateName cannot be applied; no name at all is the API server's Required.
  if (name === '' && typeof m.generateName === 'string' && m.generateName !== '') problems.at(place, ['metadata', 'generateName'], `from ${m.generateName}: cannot use generate name with apply`, '');
  else if (name === '') problems.at(place, ['metadata', 'name'], required('name or generateName is required'));
  else for (const msg of nameProblems(kind, name)) problems.at(place, ['metadata', 'name'], invalid(name, msg));
  if (namespace !== undefined && namespace !== 'default') for (const msg of dns1123Label(namespace)) problems.at(place, ['metadata', 'namespace'], invalid(namespace, msg));
  const creationTimestamp = timestampText(m.creationTimestamp) ?? String(created);
  const meta: ObjectMeta = {
    name,
    labels: stringMap(m.labels),
    annotations: stringMap(m.annotations),
    uid: typeof m.uid === 'string' && m.uid ? m.uid : makeUid(kind, namespace, name, creationTimestamp),
    creationTimestamp,
  };
  validateLabels(meta.labels, place, ['metadata', 'labels'], problems);
  validateAnnotations(meta.annotations, place, ['metadata', 'annotations'], problems);
  if (namespace !== undefined) meta.namespace = namespace;
  const owners = readOwnerReferences(m.ownerReferences);
  if (owners) meta.ownerReferences = owners;
  return meta;
}

const sourceOf = (place: ObjectPlace): SourceRef => ({ file: place.file, doc: place.doc, path: place.base });

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function readNode(v: Record<string, unknown>, meta: ObjectMeta, place: ObjectPlace, problems: Problems): NodeDecl {
  const role = CONTROL_PLANE_LABEL in meta.labels || LEGACY_MASTER_LABEL in meta.labels ? 'control-plane' : 'worker';
  const decl: NodeDecl = { meta, role, capacityPods: DEFAULT_MAX_PODS, source: sourceOf(place) };
  const spec = isPlainObject(v.spec) ? v.spec : {};
  const cidrText = spec.podCIDR ?? (Array.isArray(spec.podCIDRs) ? spec.podCIDRs[0] : undefined);
  if (cidrText !== undefined && cidrText !== null && cidrText !== '') {
    const path = spec.podCIDR !== undefined ? ['spec', 'podCIDR'] : ['spec', 'podCIDRs', 0];
    const cidr = typeof cidrText === 'string' ? Cidr.parse(cidrText) : null;
    if (!cidr) problems.at(place, path, invalid(cidrText, INVALID_CIDR));
    else decl.podCIDR = cidr;
  }
  // Taints as the API has them: a Node manifest without spec.taints has none, whatever its labels.
  if (Array.isArray(spec.taints)) {
    const taints: Taint[] = [];
    spec.taints.forEach((t, i) => {
      if (!isPlainObject(t)) return;
      // pkg/apis/core/validation validateTaintEffect: the three effects, required.
      if (t.effect === undefined || t.effect === null || t.effect === '') problems.at(place, ['spec', 'taints', i, 'effect'], required());
      else if (!TAINT_EFFECTS.includes(String(t.effect))) problems.at(place, ['spec', 'taints', i, 'effect'], unsupported(t.effect, TAINT_EFFECTS));
      if (t.key === undefined || t.key === null || t.key === '') problems.at(place, ['spec', 'taints', i, 'key'], required());
      const value = t.value !== undefined && t.value !== null && t.value !== '' ? { value: String(t.value) } : {};
      taints.push({ key: String(t.key ?? ''), ...value, effect: String(t.effect ?? '') as Taint['effect'] });
    });
    if (taints.length) decl.taints = taints;
  }
  if (spec.unschedulable === true) decl.unschedulable = true;
  const status = isPlainObject(v.status) ? v.status : {};
  if (Array.isArray(status.addresses)) {
    status.addresses.forEach((a, i) => {
      if (!isPlainObject(a) || a.type !== 'InternalIP' || decl.ip !== undefined) return;
      const ip = typeof a.address === 'string' ? parseIpv4(a.address) : null;
      if (ip === null) problems.at(place, ['status', 'addresses', i, 'address'], invalid(a.address, INVALID_IP));
      else decl.ip = ip;
    });
  }
  const capacity = isPlainObject(status.capacity) ? status.capacity.pods : undefined;
  if (capacity !== undefined && capacity !== null) {
    const n = Number(capacity);
    if (!Number.isInteger(n) || n < 0) problems.at(place, ['status', 'capacity', 'pods'], invalid(capacity, 'must be a non-negative integer'));
    else decl.capacityPods = n;
  }
  return decl;
}

const PHASES = new Set(['Pending', 'Running', 'Succeeded', 'Failed']);

function readPod(v: Record<string, unknown>, meta: ObjectMeta, place: ObjectPlace, problems: Problems): PodDecl {
  const spec = readPodSpec(v.spec, place, ['spec'], problems);
  const pod: PodDecl = { meta, ...spec, phase: 'Running', ready: true, source: sourceOf(place) };
  const status = isPlainObject(v.status) ? v.status : undefined;
  if (status) {
    if (typeof status.phase === 'string' && PHASES.has(status.phase)) pod.phase = status.phase as PodDecl['phase'];
    pod.ready = pod.phase === 'Running';
    if (Array.isArray(status.conditions)) {
      const ready = status.conditions.find((c) => isPlainObject(c) && c.type === 'Ready') as Record<string, unknown> | undefined;
      // kubectl prints `status: "True"`; an unquoted True is a YAML boolean.
      if (ready) pod.ready = ready.status === 'True' || ready.status === true;
    }
    // status.reason/message of a pod the kubelet rejected (OutOfpods …): it stays as recorded.
    if (pod.phase === 'Failed' && typeof status.reason === 'string' && status.reason) {
      pod.status = { display: status.reason, reason: status.reason, ...(typeof status.message === 'string' ? { message: status.message } : {}) };
    }
    // A hostNetwork pod's podIP is its node's address: nothing to keep.
    if (typeof status.podIP === 'string' && status.podIP && !pod.hostNetwork) {
      const ip = parseIpv4(status.podIP);
      if (ip === null) problems.at(place, ['status', 'podIP'], invalid(status.podIP, INVALID_IP));
      else pod.podIP = ip;
    }
  }
  return pod;
}

/** Go's %#v of a map[string]string, as field.Invalid prints it (keys sorted). */
const goMap = (m: Record<string, string>) => `map[string]string{${Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`).join(', ')}}`;

function readWorkload(kind: WorkloadRec['kind'], v: Record<string, unknown>, meta: ObjectMeta, place: ObjectPlace, problems: Problems): Entry {
  const spec = isPlainObject(v.spec) ? v.spec : {};
  const template = isPlainObject(spec.template) ? spec.template : {};
  const tmeta = isPlainObject(template.metadata) ? template.metadata : {};
  const labels = stringMap(tmeta.labels);
  const annotations = stringMap(tmeta.annotations);
  validateLabels(labels, place, ['spec', 'template', 'metadata', 'labels'], problems);
  validateAnnotations(annotations, place, ['spec', 'template', 'metadata', 'annotations'], problems);
  const podSpec = readPodSpec(template.spec, place, ['spec', 'template', 'spec'], problems, true);
  const selector = isPlainObject(spec.selector) ? spec.selector : undefined;
  if (selector && isPlainObject(selector.matchLabels)) validateLabels(selector.matchLabels, place, ['spec', 'selector', 'matchLabels'], problems);
  if (!selector || (!isPlainObject(selector.matchLabels) && !Array.isArray(selector.matchExpressions))) problems.at(place, ['spec', 'selector'], required());
  else if (!selectorMatches(readSelector(selector), labels)) problems.at(place, ['spec', 'template', 'metadata', 'labels'], `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``);
  let replicas = 1;
  if (kind !== 'DaemonSet' && spec.replicas !== undefined && spec.replicas !== null) {
    // An int32 (the decoder refused anything else, schema.ts); ValidateNonnegativeField.
    const n = spec.replicas as number;
    if (n < 0) problems.at(place, ['spec', 'replicas'], invalid(n, 'must be greater than or equal to 0'));
    else replicas = n;
  }
  const workload: WorkloadRec = { kind, meta, replicas: kind === 'DaemonSet' ? 0 : replicas, selector: selector ?? {}, template, manifest: v, source: sourceOf(place) };
  return { kind: 'workload', workload, template: { labels, annotations, spec: podSpec } };
}

/**
 * kubectl's check of TypeMeta before anything is sent (k8s.io/kubectl/pkg/validation
 * getObjectKind): `apiVersion not set`, `kind isn't string type`, ... An empty string counts as
 * not set (the decoder would find no kind either).
 */
function typeMetaProblems(v: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const f of ['apiVersion', 'kind'] as const) {
    const x = v[f];
    if (x === undefined || x === null || x === '') out.push(`${f} not set`);
    else if (typeof x !== 'string') out.push(`${f} isn't string type`);
  }
  return out;
}

/**
 * The API server's decoding (schema.ts): unknown fields and mistyped values reported. False
 * when a value has the wrong type: the object cannot be decoded, so it is not validated further.
 */
function decodes(v: Record<string, unknown>, kind: string, place: ObjectPlace, problems: Problems): boolean {
  let ok = true;
  decodeObject(v, SCHEMAS[kind], {
    unknown: (path) => problems.at(place, path, unknownField(fieldPath(path))),
    mistyped: (path, message) => {
      ok = false;
      problems.at(place, path, message);
    },
  }, CRD_KINDS.has(kind));
  return ok;
}

/**
 * Reads every object. `created` is the creation time of objects that record none; `seen`
 * holds the `Kind/namespace/name` keys already taken (shared with the caller, so a later batch
 * or the system objects can be checked against it).
 */
export function readManifests(raws: RawObject[], created: number, problems: Problems, seen = new Set<string>()): Manifests {
  const out: Manifests = { clusters: [], namespaces: [], nodes: [], entries: [], objects: [] };
  for (const raw of raws) {
    const { value: v, place } = raw;
    const typeMeta = typeMetaProblems(v);
    if (typeMeta.length) {
      const path = typeMeta.some((p) => p.includes('kind')) && typeof v.kind !== 'undefined' ? ['kind'] : typeof v.apiVersion !== 'undefined' && typeMeta.some((p) => p.includes('apiVersion')) ? ['apiVersion'] : [];
      problems.at(place, path, `error validating data: ${typeMeta.length === 1 ? typeMeta[0] : `[${typeMeta.join(', ')}]`}`, '');
      continue;
    }
    const kind = v.kind as string;
    const apiVersion = v.apiVersion as string;
    if (API_VERSION[kind] !== apiVersion) {
      problems.at(place, ['kind'], noMatchForKind(kind, apiVersion), '');
      continue;
    }
    const k = kind;
    nameObject(k, v, place);
    if (!decodes(v, k, place, problems)) continue;
    if (k === 'Cluster') {
      const m = isPlainObject(v.metadata) ? v.metadata : {};
      place.object = `Cluster/${typeof m.name === 'string' ? m.name : ''}`;
      out.clusters.push(raw);
      continue;
    }
    const meta = readMeta(k, v, place, created, problems);
    if (meta.name) {
      const key = keyOf(k, meta);
      if (seen.has(key)) problems.at(place, ['metadata', 'name'], alreadyExists(k, meta.name));
      seen.add(key);
    }
    switch (k) {
      case 'Namespace':
        out.namespaces.push({ kind: 'Namespace', meta, source: sourceOf(place) });
        break;
      case 'Node':
        out.nodes.push(readNode(v, meta, place, problems));
        break;
      case 'Pod':
        out.entries.push({ kind: 'pod', pod: readPod(v, meta, place, problems) });
        break;
      case 'Deployment':
      case 'ReplicaSet':
      case 'DaemonSet':
        out.entries.push(readWorkload(k, v, meta, place, problems));
        break;
      default:
        if (k === 'NetworkPolicy') for (const e of validateNetworkPolicy(v)) problems.at(place, e.path, e.message);
        if (k === 'Ingress') for (const e of validateIngress(v)) problems.at(place, e.path, e.message);
        if (k === 'IngressClass') for (const e of validateIngressClass(v)) problems.at(place, e.path, e.message);
        if (k === 'Endpoints') for (const e of validateEndpoints(v)) problems.at(place, e.path, e.message);
        if (k === 'EndpointSlice') for (const e of validateEndpointSlice(v)) problems.at(place, e.path, e.message);
        out.objects.push({ kind: k, meta, manifest: v, source: sourceOf(place) });
    }
  }
  return out;
}
