/**
 * Scenario files → Scenario: take each file's cached documents or parse it (the caller's parser:
 * this module imports no YAML parser, so a load from cached documents never pulls in js-yaml),
 * read and validate every object,
 * settle the cluster config (Cluster document, else defaults and what a dump records), add the
 * objects a kubeadm cluster boots with, expand workloads, check references and schedule.
 * Every problem is collected; any problem fails the whole load (nothing half-loaded). What the
 * API server accepts but the cluster cannot run is not a problem: pods no node can take stay
 * Pending (schedule.ts), kubelets reject pods beyond max-pods (OutOfpods), and a workload asking
 * for more replicas than the cluster can hold gets what fits plus one burst (BURST_REPLICAS). Errors
 * about a field keep their `source`; the caller resolves them (positions.ts) only then.
 */
import { isGke } from './gkeRanges';
import { DEFAULT_MAX_PODS } from './readManifests';
import type { CniMode, NamespaceRec } from '../model/cluster';
import { fail, ok, type Result } from '../model/source';
import { AWS_NODE_MTU, defaultNodes, readClusterDocs, type ConfigDoc } from './clusterConfig';
import { checkAddresses, inferRanges } from './addresses';
import { BURST_REPLICAS, eligibleNode, expandWorkload } from './expand';
import { alreadyExists } from './messages';
import { USER_OBJECTS_AT } from './meta';
import { parseFiles, type ParseYaml } from './parseFiles';
import { Problems, type ObjectPlace } from './problems';
import { checkNamespaces, checkNodeNames, expandEntries } from './entrySteps';
import { readManifests, type Manifests, type PodTemplateDecl } from './readManifests';
import { staticMisfit } from './nodeFit';
import { schedNode, scheduleInPlace } from './schedule';
import { ownersOf, systemObjects } from './system';
import { aksMaxPods } from './azureConfig';
import type { NodeDecl, PodDecl, Scenario, ScenarioFile } from './types';

/** The CNI a dump's pods reveal through the DaemonSet that owns them. */
const CNI_BY_DAEMONSET: Record<string, CniMode> = {
  'kube-flannel-ds': 'flannel',
  'calico-node': 'calico',
  cilium: 'cilium',
  'weave-net': 'weave',
  'aws-node': 'aws-vpc',
};

function inferCni(doc: ConfigDoc, m: Manifests): void {
  if (doc.explicit.has('cni')) return;
  for (const e of m.entries) {
    if (e.kind !== 'pod') continue;
    for (const o of e.pod.meta.ownerReferences ?? []) {
      const cni = o.kind === 'DaemonSet' ? CNI_BY_DAEMONSET[o.name] : undefined;
      if (cni) {
        doc.config.cni = cni;
        if (!doc.explicit.has('nodeMtu')) doc.config.nodeMtu = cni === 'aws-vpc' ? AWS_NODE_MTU : 1500;
        return;
      }
    }
  }
}

/** Cluster-document nodes first, then Node manifests; no nodes anywhere → control-plane, worker-1, worker-2. */
function allNodes(doc: ConfigDoc, m: Manifests, problems: Problems): NodeDecl[] {
  const names = new Set(m.nodes.map((n) => n.meta.name));
  const fromDoc: NodeDecl[] = [];
  doc.nodes.forEach((n) => {
    if (names.has(n.meta.name) && doc.place && n.source) {
      const j = n.source.path[n.source.path.length - 1];
      problems.at(doc.place, ['spec', 'nodes', j, 'name'], alreadyExists('Node', n.meta.name));
    }
    names.add(n.meta.name);
    fromDoc.push(n);
  });
  const nodes = [...fromDoc, ...m.nodes];
  return nodes.length ? nodes : defaultNodes(aksMaxPods(doc.config.cni));
}

/**
 * Parse and read in a scope of their own: once read, the parsed trees of the Pod documents are
 * garbage (decls keep only what they need), and with 150,000 pods that is most of the heap.
 */
function readAll(files: ScenarioFile[], problems: Problems, seen: Set<string>, parse: ParseYaml | undefined): { m: Manifests; fallback: ObjectPlace } {
  const raws = parseFiles(files, problems, parse);
  const fallback: ObjectPlace = raws[0]?.place ?? { file: files[0]?.name ?? '', doc: 0, base: [], object: '' };
  return { m: readManifests(raws, USER_OBJECTS_AT, problems, seen), fallback };
}

/** `parse` reads the files without `docs` (none needed when every file has them). */
export function loadScenario(files: ScenarioFile[], options: { seed?: number } = {}, parse?: ParseYaml): Result<Scenario> {
  const problems = new Problems();
  const seen = new Set<string>();
  const { m, fallback } = readAll(files, problems, seen, parse);
  const doc = readClusterDocs(m.clusters, problems, options);
  const nodes = allNodes(doc, m, problems);
  // GKE: the node pool's max pods per node is also each node's kubelet --max-pods.
  const maxPods = doc.config.maxPodsPerNode;
  if (isGke(doc.config.cni) && maxPods !== undefined) for (const n of nodes) if (n.capacityPods === DEFAULT_MAX_PODS) n.capacityPods = maxPods;
  inferCni(doc, m);
  inferRanges(doc, m.nodes, m.objects);
  const config = doc.config;

  const inputPods = m.entries.flatMap((e) => (e.kind === 'pod' ? [e.pod] : []));
  const kubeSystemPods = new Set(inputPods.filter((p) => p.meta.namespace === 'kube-system').map((p) => `kube-system/${p.meta.name}`));
  const system = systemObjects(config, nodes, { pods: kubeSystemPods, objects: seen });
  checkAddresses(doc, nodes, [...system.objects, ...m.objects], problems, fallback);

  const namespaces: NamespaceRec[] = [...system.namespaces, ...m.namespaces];
  checkNamespaces(m, new Set(namespaces.map((n) => n.meta.name)), problems);
  checkNodeNames(m, new Set(nodes.map((n) => n.meta.name)), problems);
  if (problems.count) return fail(problems.errors());

  // Creation order: the cluster boots (static pods, then system workloads), then the file's objects.
  const eligible = nodes.map(eligibleNode);
  const owners = ownersOf(inputPods);
  const pods: PodDecl[] = [...system.staticPods];
  // Pod slots of the whole cluster: a workload's expansion stops one burst past them.
  const budget = { free: nodes.reduce((sum, n) => sum + n.capacityPods, 0) - inputPods.length - pods.length, burst: BURST_REPLICAS };
  const bounded = (w: { kind: string; replicas: number }, t: PodTemplateDecl) => {
    // Only a workload asking for more than a burst can be cut: only then are its nodes counted.
    if (w.kind === 'DaemonSet' || w.replicas <= BURST_REPLICAS) return Infinity;
    let usable = 0;
    eligible.forEach((n, i) => {
      if (staticMisfit(t.spec, n) === undefined) usable += nodes[i].capacityPods;
    });
    return Math.max(0, Math.min(budget.free, usable)) + budget.burst;
  };
  const took = (_w: { kind: string }, n: number) => {
    budget.free -= n; // daemon pods hold slots too
  };
  for (const { workload, template } of system.workloads) {
    if (owners.has(`${workload.kind}/${workload.meta.namespace}/${workload.meta.name}`)) {
      // A dump's pods stand for this workload: count them as its DaemonSet pods.
      if (workload.kind === 'DaemonSet') workload.replicas = inputPods.filter((p) => p.meta.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === workload.meta.name)).length;
      continue;
    }
    const made = expandWorkload(workload, template, eligible, config.seed, 0, bounded(workload, template));
    took(workload, made.length);
    for (const p of made) pods.push(p);
  }
  const user = expandEntries(m.entries, eligible, config.seed, USER_OBJECTS_AT + 1, owners, { max: bounded, took });
  for (const p of user.pods) pods.push(p);

  // Unschedulable pods stay Pending and rejected ones Failed: state, not errors.
  scheduleInPlace(
    pods,
    nodes.map((n) => schedNode(n, 0)),
  );

  const scenario: Scenario = {
    files,
    config,
    namespaces,
    nodes,
    pods,
    workloads: [...system.workloads.map((w) => w.workload), ...user.workloads],
    objects: [...system.objects, ...m.objects],
  };
  if (doc.place) scenario.configSource = { file: doc.place.file, doc: doc.place.doc, path: doc.place.base };
  return ok(scenario);
}
