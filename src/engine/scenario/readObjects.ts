/**
 * Manifests applied to an existing cluster (`kubectl apply -f`): parsed (js-yaml), read,
 * checked and expanded with the steps loadScenario shares (entrySteps.ts).
 */
import type { ClusterConfig, ManifestRec, NamespaceRec, WorkloadRec } from '../model/cluster';
import { fail, ok, type Result } from '../model/source';
import { pluginFor } from '../cni/registry';
import { BURST_REPLICAS, eligibleNode, type EligibleNode } from './expand';
import { checkNamespaces, checkNodeNames, expandEntries } from './entrySteps';
import { noMatchForKind } from './messages';
import { parseFiles } from './parseFiles';
import { parseYamlFile } from './parseYaml';
import { positionErrors } from './positions';
import { Problems } from './problems';
import { readManifests } from './readManifests';
import { SYSTEM_NAMESPACES } from './system';
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
  /** The cluster's nodes as the DaemonSet controller sees them (expand.ts eligibleNode). */
  nodes: EligibleNode[];
  /**
   * Free pod slots in the cluster: a workload's expansion stops one burst (BURST_REPLICAS) past
   * them, as at load. Absent: only the burst bound applies beyond the batch's own nodes.
   */
  freePods?: number;
}

/**
 * Parse and validate manifests (no Cluster document) against an existing config; workloads are
 * expanded into pods (names from the seed, each workload and the time: expand.ts); pods without spec.nodeName get nodeName ''.
 * With `context`, namespaces and node names are checked against it as well as the batch; without
 * it, namespaces against the system ones and the batch, and node names are not checked.
 */
export function readObjects(files: ScenarioFile[], config: ClusterConfig, now: number, context?: ReadContext): Result<ObjectBatch> {
  const problems = new Problems();
  const m = readManifests(parseFiles(files, problems, parseYamlFile), now, problems);
  for (const raw of m.clusters) problems.at(raw.place, ['kind'], noMatchForKind('Cluster', 'podpath/v1alpha1'), '');
  const namespaces = new Set([...SYSTEM_NAMESPACES, pluginFor(config.cni).daemonSet.namespace, ...(context?.namespaces ?? []), ...m.namespaces.map((n) => n.meta.name)]);
  checkNamespaces(m, namespaces, problems);
  const nodes: EligibleNode[] = [...(context?.nodes ?? []), ...m.nodes.map(eligibleNode)];
  if (context) checkNodeNames(m, new Set(nodes.map((n) => n.name)), problems);
  if (problems.count) return fail(positionErrors(files, problems.errors()));
  // Pod slots: the cluster's free ones and those of the batch's nodes (110 each unless recorded), less the batch's own pods.
  let free = (context?.freePods ?? 0) + m.nodes.reduce((sum, n) => sum + n.capacityPods, 0) - m.entries.filter((e) => e.kind === 'pod').length;
  const bound = {
    max: (w: WorkloadRec) => (w.kind === 'DaemonSet' ? Infinity : Math.max(0, free) + BURST_REPLICAS),
    took: (_w: WorkloadRec, n: number) => {
      free -= n; // daemon pods hold slots too
    },
  };
  const { pods, workloads } = expandEntries(m.entries, nodes, config.seed, now, undefined, bound);
  return ok({ namespaces: m.namespaces, nodes: m.nodes, pods, workloads, objects: m.objects });
}
