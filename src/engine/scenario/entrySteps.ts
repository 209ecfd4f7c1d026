/**
 * The steps loadScenario and readObjects (`kubectl apply -f`) share once manifests are read:
 * expanding workloads in document order and checking that the namespaces and nodes objects
 * refer to exist. Apart from readObjects, which parses text, so loading imports no YAML parser.
 */
import type { WorkloadRec } from '../model/cluster';
import { expandWorkload, type EligibleNode } from './expand';
import { notFound } from './messages';
import { placeOf, type Problems } from './problems';
import { objectName, type Entry, type Manifests, type PodTemplateDecl } from './readManifests';
import { ownersOf } from './system';
import type { PodDecl } from './types';

/** How many pods a workload's expansion may make (`max`), told what it made (`took`). */
export interface ExpansionBound {
  max(w: WorkloadRec, template: PodTemplateDecl): number;
  took(w: WorkloadRec, n: number): void;
}

/**
 * Pods of the entries in document order, workloads expanded where they appear — except a
 * workload some input pod already names as its owner (a dump lists the pods it made).
 * Expanded pods point at their workload's source. `bound` caps each expansion (loadScenario:
 * what fits plus one burst).
 */
export function expandEntries(
  entries: Entry[],
  nodes: EligibleNode[],
  seed: number,
  created: number,
  owners = ownersOf(entries.flatMap((e) => (e.kind === 'pod' ? [e.pod] : []))),
  bound?: ExpansionBound,
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
    if (owners.has(`${w.kind}/${w.meta.namespace ?? 'default'}/${w.meta.name}`)) {
      if (w.kind === 'Deployment' && !w.templateHash) w.templateHash = dumpedHash(entries, w);
      continue;
    }
    const made = expandWorkload(w, e.template, nodes, seed, created, bound ? bound.max(w, e.template) : Infinity);
    bound?.took(w, made.length);
    for (const pod of made) {
      if (w.source) pod.source = w.source;
      pods.push(pod);
    }
  }
  return { pods, workloads };
}

/**
 * The pod-template-hash of a dumped Deployment's current ReplicaSet, from the pods the dump lists
 * for it (their ReplicaSet `<deployment>-<hash>`, the newest first): the hash a real cluster
 * computed, or the one podpath wrote — not recomputed, so the pods stay the Deployment's.
 */
function dumpedHash(entries: Entry[], d: WorkloadRec): string | undefined {
  const ns = d.meta.namespace ?? 'default';
  const prefix = `${d.meta.name}-`;
  let hash: string | undefined;
  for (const e of entries) {
    if (e.kind !== 'pod' || (e.pod.meta.namespace ?? 'default') !== ns) continue;
    const h = e.pod.meta.labels['pod-template-hash'];
    if (h && e.pod.meta.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === `${prefix}${h}`)) hash = h;
  }
  return hash;
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
