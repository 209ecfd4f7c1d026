/**
 * loadCluster: scenario files in, an immutable Cluster (or every error) out. Kept apart from the
 * engine's index so a caller that only loads and draws does not pull in the tracer, the shell and
 * the exporters with it; a caller that has the files' parsed documents can avoid even js-yaml
 * with loadParsedCluster (loadParsed.ts) and bring positionErrors in only once there are errors.
 */
import type { Cluster } from './model/cluster';
import { fail, type Result } from './model/source';
import { loadAndBuild, type LoadOptions } from './loadParsed';
import { parseYamlFile } from './scenario/parseYaml';
import { positionErrors } from './scenario/positions';
import type { ScenarioFile } from './scenario/types';

export type { LoadOptions };
export { positionErrors };

/** Load scenario files into a cluster; on any error nothing is returned but the errors, with their positions. */
export function loadCluster(files: ScenarioFile[], options: LoadOptions = {}): Result<Cluster> {
  const loaded = loadAndBuild(files, options, parseYamlFile);
  return loaded.ok ? loaded : fail(positionErrors(files, loaded.errors));
}
