/**
 * The shell wired to the real engine: packet traces from the tracer and cluster changes
 * (`kubectl run`, `kubectl delete pod`, `kubectl apply -f`) through controllers/commands. The app's
 * terminal and `podpath sh` both start here, so they print the same bytes for the same line.
 */
import type { Cluster } from './model/cluster';
import { formatScenarioError, type Result, type ScenarioError } from './model/source';
import * as commands from './controllers/commands';
import { deleteNamespace, deleteWorkload } from './controllers/namespaces';
import { cordonNode, drainNode } from './controllers/nodes';
import { rolloutRestart, setAnnotations } from './controllers/rollout';
import { createShell, type Shell } from './shell/index';
import type { ClusterOps } from './shell/types';
import { trace, traceroute } from './trace/tracer';

const message = (errors: ScenarioError[]): string => errors.map(formatScenarioError).join('\n');

function adapt(r: Result<Cluster>): { ok: true; cluster: Cluster } | { ok: false; error: string } {
  return r.ok ? { ok: true, cluster: r.value } : { ok: false, error: message(r.errors) };
}

export const engineOps: ClusterOps = {
  addPod: (cluster, manifest) => adapt(commands.addPod(cluster, manifest)),
  deletePod: (cluster, namespace, name) => adapt(commands.deletePod(cluster, namespace, name)),
  deleteObject: (cluster, kind, namespace, name) => adapt(commands.deleteObject(cluster, kind, namespace, name)),
  deleteNamespace: (cluster, name) => adapt(deleteNamespace(cluster, name)),
  deleteWorkload: (cluster, kind, namespace, name) => adapt(deleteWorkload(cluster, kind, namespace, name)),
  scaleWorkload: (cluster, namespace, name, replicas) => adapt(commands.scaleWorkload(cluster, namespace, name, replicas)),
  setLabels: (cluster, kind, namespace, name, labels) => adapt(commands.setLabels(cluster, kind, namespace, name, labels)),
  setAnnotations: (cluster, kind, namespace, name, annotations) => adapt(setAnnotations(cluster, kind, namespace, name, annotations)),
  rolloutRestart: (cluster, kind, namespace, name) => adapt(rolloutRestart(cluster, kind, namespace, name)),
  cordonNode: (cluster, name, unschedulable) => adapt(cordonNode(cluster, name, unschedulable)),
  drainNode: (cluster, name, options) => {
    const r = drainNode(cluster, name, options);
    return r.ok ? { ok: true, ...r.value } : { ok: false, error: message(r.errors) };
  },
  applyManifests: (cluster, text, file) => {
    const r = commands.applyManifests(cluster, [{ name: file, text }]);
    return r.ok ? { ok: true, cluster: r.value.cluster, results: r.value.results } : { ok: false, error: message(r.errors) };
  },
};

/**
 * A shell over the engine. `readFile` serves `kubectl apply -f FILE`; `workstationFiles` gives
 * the scenario files the learner loaded, kept in the simulated workstation's home directory.
 */
export function engineShell(cluster: Cluster, readFile?: (path: string) => string | undefined, workstationFiles?: () => Record<string, string>): Shell {
  return createShell({ cluster, readFile, trace, traceroute, ops: engineOps, ...(workstationFiles ? { workstationFiles } : {}) });
}
