/**
 * loadParsedCluster: a load from scenario files whose YAML is already parsed (`ScenarioFile.docs`:
 * the app's autosave, the demo built in at build time). Nothing this module imports imports
 * js-yaml (loadParsed.test.ts walks the graph), so the app's first paint can draw without it;
 * errors that need a position come back with their `source`, for load.ts's positionErrors.
 */
import type { Cluster } from './model/cluster';
import type { Result } from './model/source';
import { buildCluster } from './model/build';
import { loadScenario } from './scenario/loadScenario';
import { placeGenerated } from './scenario/generatedPlaces';
import type { ParseYaml } from './scenario/parseFiles';
import type { ScenarioFile } from './scenario/types';

export interface LoadOptions {
  /** Overrides the Cluster document's `spec.seed` (CLI `--seed`). */
  seed?: number;
}

/**
 * The load both entry points share: read (files without `docs` through `parse`), validate,
 * schedule, allocate. Errors about a field carry their `source`, unresolved.
 */
export function loadAndBuild(files: ScenarioFile[], options: LoadOptions, parse?: ParseYaml): Result<Cluster> {
  const scenario = loadScenario(files, options, parse);
  if (!scenario.ok) return scenario;
  const built = buildCluster(scenario.value);
  // Errors about generated nodes and system objects point at the range that caused them.
  return built.ok ? built : { ok: false, errors: placeGenerated(built.errors, scenario.value) };
}

/**
 * Load files that all carry `docs` (a file without them is a bug: it throws). On failure, errors
 * with a `source` have no line yet: pass them to positionErrors (load.ts) before showing them.
 */
export function loadParsedCluster(files: ScenarioFile[], options: LoadOptions = {}): Result<Cluster> {
  return loadAndBuild(files, options);
}
