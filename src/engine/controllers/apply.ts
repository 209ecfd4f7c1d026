/**
 * `kubectl apply -f`: namespaces, nodes, workloads (new ones bring their pods, a replica change
 * scales), standalone pods, and the kept-whole objects (Services validated and allocated first);
 * results as kubectl prints them (created / configured / unchanged). And `kubectl delete` of
 * kept-whole objects (NetworkPolicy, ConfigMap, ...).
 */
import type { Ipv4 } from '../addressing/ipv4';
import { objectKeyOf, workloadKey } from '../model/build';
import type { Cluster, ManifestRec, ObjectMeta } from '../model/cluster';
import { fail, ok, type Result, type ScenarioError } from '../model/source';
import { locate } from '../scenario/locate';
import { readObjects, type ObjectBatch } from '../scenario/readObjects';
import type { PodDecl, ScenarioFile } from '../scenario/types';
import { allocateServices, sameManifest } from '../services/allocate';
import { Change, err, plural } from './change';
import { addNode } from './nodes';
import { readContext } from './owners';
import { rolloutTemplate } from './rollout';
import { scaleWorkload } from './workloads';


type ApplyResult = { kind: string; name: string; namespace?: string; action: 'created' | 'configured' | 'unchanged' };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function applyManifests(cluster: Cluster, files: ScenarioFile[], createdAt = cluster.now): Result<{ cluster: Cluster; results: ApplyResult[] }> {
  let change = new Change(cluster);
  const read = readObjects(files, cluster.config, createdAt, readContext(change));
  if (!read.ok) return read;
  const batch: ObjectBatch = read.value;
  const results: (ApplyResult & { order: [number, number] })[] = [];
  const fileIndex = new Map(files.map((f, i) => [f.name, i] as [string, number]));
  const order = (src?: { file: string; doc: number }): [number, number] => [fileIndex.get(src?.file ?? '') ?? 0, src?.doc ?? 0];
  const note = (kind: string, meta: ObjectMeta, action: ApplyResult['action'], src?: { file: string; doc: number }) =>
    results.push({ kind, name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}), action, order: order(src) });

  // Namespaces.
  for (const n of batch.namespaces) {
    const old = change.namespaces.get(n.meta.name);
    if (old && same(old.meta.labels, n.meta.labels)) note('Namespace', n.meta, 'unchanged', n.source);
    else {
      change.namespaces = new Map(change.namespaces).set(n.meta.name, old ? { ...old, meta: { ...old.meta, labels: n.meta.labels } } : n);
      note('Namespace', n.meta, old ? 'configured' : 'created', n.source);
    }
  }
  // Nodes.
  for (const n of batch.nodes) {
    const old = change.node(n.meta.name);
    if (old) {
      if (same(old.meta.labels, n.meta.labels)) note('Node', n.meta, 'unchanged', n.source);
      else {
        change.draft(n.meta.name)!.meta = { ...old.meta, labels: n.meta.labels };
        note('Node', n.meta, 'configured', n.source);
      }
      continue;
    }
    const mid = addNode(change.commit(), { name: n.meta.name, role: n.role, ...(n.ip !== undefined ? { ip: formatIp(n.ip) } : {}) });
    if (!mid.ok) return mid;
    change = new Change(mid.value);
    note('Node', n.meta, 'created', n.source);
  }
  // Workloads: new ones bring their pods; unchanged ones keep theirs; a replica change scales.
  const skipOwners = new Set<string>();
  const ownerOf = (p: PodDecl) => p.meta.ownerReferences?.[0];
  for (const w of batch.workloads) {
    const key = workloadKey(w);
    const old = change.workloads.get(key);
    if (!old) {
      change.workloads = new Map(change.workloads).set(key, w);
      if (w.kind !== 'ReplicaSet' || !batch.workloads.some((d) => d.kind === 'Deployment' && `${d.meta.name}-${d.templateHash}` === w.meta.name)) note(w.kind, w.meta, 'created', w.source);
      continue;
    }
    const rsName = w.kind === 'Deployment' ? `${w.meta.name}-${w.templateHash ?? ''}` : w.meta.name;
    skipOwners.add(`${w.meta.namespace ?? 'default'}/${rsName}`);
    skipOwners.add(`${w.meta.namespace ?? 'default'}/${w.meta.name}`);
    if (same(old.manifest, w.manifest)) {
      if (w.kind !== 'ReplicaSet' || !old.templateHash) note(w.kind, w.meta, 'unchanged', w.source);
      continue;
    }
    if (w.kind === 'ReplicaSet' && batch.workloads.some((d) => d.kind === 'Deployment' && `${d.meta.name}-${d.templateHash}` === w.meta.name)) continue;
    if (old.replicas !== w.replicas && w.kind !== 'DaemonSet') {
      const mid = scaleWorkload(change.commit(), w.meta.namespace ?? 'default', w.meta.name, w.replicas);
      if (!mid.ok) return mid;
      change = new Change(mid.value);
    }
    // The API server keeps the object's identity and the controller's revision annotation.
    const revision = old.meta.annotations['deployment.kubernetes.io/revision'];
    const meta = { ...w.meta, uid: old.meta.uid, creationTimestamp: old.meta.creationTimestamp, annotations: { ...w.meta.annotations, ...(revision !== undefined ? { 'deployment.kubernetes.io/revision': revision } : {}) } };
    const rolls = w.kind !== 'ReplicaSet' && !same(old.template, w.template);
    // A new pod template rolls out (rollout.ts), from the record with the old template.
    const kept = rolls ? { ...w, meta, template: old.template, manifest: { ...w.manifest, spec: { ...(w.manifest.spec as object), template: old.template } } } : { ...w, meta };
    change.workloads = new Map(change.workloads).set(key, { ...kept, templateHash: old.templateHash ?? w.templateHash });
    if (rolls) {
      const mid = rolloutTemplate(change.commit(), w.kind as 'Deployment' | 'DaemonSet', w.meta.namespace ?? 'default', w.meta.name, w.template);
      if (!mid.ok) return mid;
      change = new Change(mid.value);
    }
    note(w.kind, w.meta, 'configured', w.source);
  }
  // Pods: standalone ones as objects, workload pods for new workloads only.
  const newPods: PodDecl[] = [];
  for (const p of batch.pods) {
    const owner = ownerOf(p);
    const ns = p.meta.namespace ?? 'default';
    if (owner) {
      if (!skipOwners.has(`${ns}/${owner.name}`)) newPods.push(p);
      continue;
    }
    const old = change.pods.get(`${ns}/${p.meta.name}`);
    if (!old) {
      newPods.push(p);
      note('Pod', p.meta, 'created', p.source);
    } else if (same(old.meta.labels, p.meta.labels) && same(old.meta.annotations, p.meta.annotations)) note('Pod', p.meta, 'unchanged', p.source);
    else {
      change.pods.set(`${ns}/${p.meta.name}`, { ...old, meta: { ...old.meta, labels: p.meta.labels, annotations: p.meta.annotations } });
      note('Pod', p.meta, 'configured', p.source);
    }
  }
  const s = change.schedule(newPods);
  if (!s.ok) return s;
  const c = change.createPods(s.value);
  if (!c.ok) return c;
  // Services, Endpoints, NetworkPolicies, ConfigMaps. Services are validated and allocated first
  // (an update keeps its clusterIP and nodePorts); any Service error fails the whole apply.
  const replaced = new Map<string, ManifestRec>();
  for (const o of batch.objects) {
    const old = o.kind === 'Service' ? change.objects.get(objectKeyOf(o)) : undefined;
    if (old) replaced.set(objectKeyOf(o), old);
  }
  const others = [...change.objects.values()].filter((o) => o.kind === 'Service' && !replaced.has(objectKeyOf(o)));
  const allocated = allocateServices(batch.objects, change.base.config, change.rng, others, replaced);
  if (allocated.errors.length) return fail(allocated.errors.map((e) => positioned(files, e)));
  for (const o of allocated.objects) {
    const key = objectKeyOf(o);
    const old = change.objects.get(key);
    if (old && sameManifest(old.manifest, o.manifest)) {
      note(o.kind, o.meta, 'unchanged', o.source);
      continue;
    }
    // An update keeps the object's uid and creationTimestamp (the API server's, not the file's).
    change.objects = new Map(change.objects).set(key, old ? { ...o, meta: { ...o.meta, uid: old.meta.uid, creationTimestamp: old.meta.creationTimestamp } } : o);
    note(o.kind, o.meta, old ? 'configured' : 'created', o.source);
  }
  results.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
  return ok({ cluster: change.commit(), results: results.map(({ order: _o, ...r }) => r) });
}

/** A Service error at the line of the applied file it points to. */
function positioned(files: ScenarioFile[], e: ScenarioError): ScenarioError {
  const { source, ...rest } = e;
  const at = source ? locate(files, source) : undefined;
  return at ? { ...rest, line: at.line, column: at.column } : rest;
}

const formatIp = (ip: Ipv4) => `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;

/** The API resource in NotFound messages for kept-whole objects (`networkpolicies.networking.k8s.io`). */
const OBJECT_RESOURCE: Record<string, string> = {
  NetworkPolicy: 'networkpolicies.networking.k8s.io',
  CiliumNetworkPolicy: 'ciliumnetworkpolicies.cilium.io',
  ConfigMap: 'configmaps',
  Service: 'services',
  Endpoints: 'endpoints',
  EndpointSlice: 'endpointslices.discovery.k8s.io',
};

/** `kubectl delete KIND NAME -n NS` for objects kept whole (NetworkPolicy, ConfigMap, ...). */
export function deleteObject(cluster: Cluster, kind: string, namespace: string, name: string): Result<Cluster> {
  const key = `${kind}/${namespace}/${name}`;
  if (!cluster.objects.has(key)) return fail(err(`Error from server (NotFound): ${OBJECT_RESOURCE[kind] ?? plural(kind)} "${name}" not found`, `${kind}/${namespace}/${name}`));
  const objects = new Map(cluster.objects);
  objects.delete(key);
  return ok({ ...cluster, objects });
}
