/**
 * The engine parts for changing a cluster: the edit commands (move, add, remove, scale…) and
 * the serializer that writes a changed cluster back as scenario YAML. Loaded by editing.ts.
 */
export * as commands from '../engine/model/commands';
export { scenarioYaml } from '../engine/scenario/serialize';
