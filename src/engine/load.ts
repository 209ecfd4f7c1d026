/**
 * loadCluster: scenario files in, an immutable Cluster (or every error) out. Kept apart from the
 * engine's index so a caller that only loads and draws (the app's first paint) does not pull in
 * the tracer, the shell and the exporters with it.
 */
import type { Cluster } from './model/cluster';
import { fail, type Result, type ScenarioError } from './model/source';
import { locate } from './scenario/locate';
import { buildCluster } from './model/build';
import { loadScenario } from './scenario/loadScenario';
import type { ScenarioFile } from './scenario/types';

export interface LoadOptions {
  /** Overrides the Cluster document's `spec.seed` (CLI `--seed`). */
  seed?: number;
}

/** Load scenario files into a cluster; on any error nothing is returned but the errors. */
export function loadCluster(files: ScenarioFile[], options: LoadOptions = {}): Result<Cluster> {
  const scenario = loadScenario(files, options);
  if (!scenario.ok) return fail(scenario.errors);
  const built = buildCluster(scenario.value);
  return built.ok ? built : fail(built.errors.map((e) => positioned(files, e)));
}

/** Resolve an error's source reference to a line and column (re-parsing that file with positions only now). */
function positioned(files: ScenarioFile[], e: ScenarioError): ScenarioError {
  const { source, ...rest } = e;
  if (!source || rest.line !== undefined) return rest;
  const at = locate(files, source);
  return at ? { ...rest, line: at.line, column: at.column } : rest;
}
