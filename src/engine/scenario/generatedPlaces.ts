/**
 * Errors about what the scenario did not write itself — the nodes podpath generates, the
 * system Services and pods a kubeadm cluster boots with — have no source of their own. Their
 * cause is a range of the cluster: the Cluster document's field (spec.nodeNetwork,
 * spec.podCIDR, spec.serviceCIDR) names it, so every refusal points at a line. Without a
 * Cluster document the defaults are in force and the error points at the start of the first file.
 */
import type { ScenarioError } from '../model/source';
import type { Scenario } from './types';

/** The Cluster field behind an error's field, for objects podpath generated. */
function rangeField(field: string | undefined): string {
  if (field === 'status.addresses') return 'nodeNetwork';
  if (field?.startsWith('spec.clusterIP') || field === 'spec.ports') return 'serviceCIDR';
  return 'podCIDR';
}

/** Every error without a file gets one: the Cluster document's range field, or the first file's first line. */
export function placeGenerated(errors: ScenarioError[], scenario: Pick<Scenario, 'files' | 'configSource'>): ScenarioError[] {
  const cfg = scenario.configSource;
  const first = scenario.files[0]?.name ?? '';
  return errors.map((e) => {
    if (e.file) return e;
    if (cfg) return { ...e, file: cfg.file, source: { ...cfg, path: [...cfg.path, 'spec', rangeField(e.field)] } };
    return { ...e, file: first, line: 1, column: 1 };
  });
}
