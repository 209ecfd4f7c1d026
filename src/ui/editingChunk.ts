/**
 * The engine parts for changing a cluster: the edit commands (move, add, remove, scale…), the
 * serializer that writes a changed cluster back as scenario YAML, and the YAML parser with the
 * full loader (any text, errors with line numbers). Loaded by editing.ts.
 */
import { loadCluster } from '../engine/load';
import { parseYamlFile } from '../engine/scenario/parseYaml';
import type { Parser } from './state/parsedScenarios';

export * as commands from '../engine/controllers/commands';
export { scenarioYaml } from '../engine/scenario/serialize';

export const parser: Parser = { parseYamlFile, loadCluster };
