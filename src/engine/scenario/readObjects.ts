/**
 * Manifests applied to an existing cluster (`kubectl apply -f`), and the steps loadScenario
 * shares with it: expanding workloads in document order and checking that the namespaces and
 * nodes objects refer to exist.
 */
import type { ClusterConfig, ManifestRec, NamespaceRec, NodeRole, WorkloadRec } from '../model/cluster';
import { fail, ok, type Result } from '../model/source';
import { pluginFor } from '../cni/registry';
import type { Rng } from '../sim/rng';
import { expandWorkload, type EligibleNode } from './expand';
import { noMatchForKind, notFound } from './messages';
import { parseFiles } from './parseFiles';
import { placeOf, Problems } from './problems';
import { objectName, readManifests, type Entry, type Manifests } from './readManifests';
import { ownersOf, SYSTEM_NAMESPACES } from './system';
import type { NodeDecl, PodDecl, ScenarioFile } from './types';

export interface ObjectBatch {
  namespaces: NamespaceRec[];
  nodes: NodeDecl[];
  pods: PodDecl[];
  workloads: WorkloadRec[];
  objects: ManifestRec[];
}

/** What already exists in the cluster the batch is applied to. */
export interface ReadContext {
  namespaces: Iterable<string>;
  nodes: { name: string; role: NodeRole }[];
}

/**
 * Pods of the entries in document order, workloads expanded where they appear — except a
 * workload some input pod already names as its owner (a dump lists the pods it made).
 * Expanded pods point at their workload's source.
 */
export function expandEntries(
  entries: Entry[],
  nodes: EligibleNode[],
  rng: Rng,
  created: number,
  owners = ownersOf(entries.flatMap((e) => (e.kind === 'pod' ? [e.pod] : []))),
): { pods: PodDecl[]; workloads: WorkloadRec[] } {
  const pods: PodDecl[] = [];
  const workloads: WorkloadRec[] = [];
  for (const e of entries) {
    if (e.kind === 'pod') {
      pods.push(e.pod);
      continue;
    }
    const w = e.workload;
    workloads.push(w);
    if (owners.has(`${w.kind}/${w.meta.namespace ?? 'default'}/${w.meta.name}`)) continue;
    for (const pod of expandWorkload(w, e.template, nodes, rng, created)) {
      if (w.source) pod.source = w.source;
      pods.push(pod);
    }
  }
  return { pods, workloads };
}

/** `namespaces "x" not found` for every namespaced object whose namespace is not in `known`. */
export function checkNamespaces(m: Manifests, known: Set<string>, problems: Problems): void {
  const check = (kind: string, meta: { name: string; namespace?: string }, source: PodDecl['source']) => {
    const ns = meta.namespace;
    if (ns === undefined || known.has(ns)) return;
    const place = placeOf(source, objectName(kind, ns, meta.name));
    if (place) problems.at(place, ['metadata', 'namespace'], notFound('Namespace', ns));
  };
  for (const e of m.entries) {
    if (e.kind === 'pod') check('Pod', e.pod.meta, e.pod.source);
    else check(e.workload.kind, e.workload.meta, e.workload.source);
  }
  for (const o of m.objects) check(o.kind, o.meta, o.source);
}

/** `nodes "x" not found` for every pod of the input whose spec.nodeName names no node. */
export function checkNodeNames(m: Manifests, known: Set<string>, problems: Problems): void {
  for (const e of m.entries) {
    if (e.kind !== 'pod' || e.pod.nodeName === '' || known.has(e.pod.nodeName)) continue;
    const place = placeOf(e.pod.source, objectName('Pod', e.pod.meta.namespace, e.pod.meta.name));
    if (place) problems.at(place, ['spec', 'nodeName'], notFound('Node', e.pod.nodeName));
  }
}

/**
 * Parse and validate manifests (no Cluster document) against an existing config; workloads are
 * expanded into pods (names from `rng`); pods without spec.nodeName get nodeName ''.
 * With `context`, namespaces and node names are checked against it as well as the batch; without
 * it, namespaces against the system ones and the batch, and node names are not checked.
 */
export function readObjects(files: ScenarioFile[], config: ClusterConfig, rng: Rng, now: number, context?: ReadContext): Result<ObjectBatch> {
  const problems = new Problems();
  const m = readManifests(parseFiles(files, problems), now, problems);
  for (const raw of m.clusters) problems.at(raw.place, ['kind'], noMatchForKind('Cluster', 'podpath/v1alpha1'), '');
  const namespaces = new Set([...SYSTEM_NAMESPACES, pluginFor(config.cni).daemonSet.namespace, ...(context?.namespaces ?? []), ...m.namespaces.map((n) => n.meta.name)]);
  checkNamespaces(m, namespaces, problems);
  const nodes: EligibleNode[] = [...(context?.nodes ?? []), ...m.nodes.map((n) => ({ name: n.meta.name, role: n.role }))];
  if (context) checkNodeNames(m, new Set(nodes.map((n) => n.name)), problems);
  if (problems.count) return fail(problems.errors(files));
  const { pods, workloads } = expandEntries(m.entries, nodes, rng, now);
  return ok({ namespaces: m.namespaces, nodes: m.nodes, pods, workloads, objects: m.objects });
}
