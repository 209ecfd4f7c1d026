/**
 * The edit layer's commands, one namespace for the app and the shell (`commands.addPod(…)`):
 * every command is pure — it returns a new Cluster (unchanged parts shared) and never mutates its
 * input — and the controllers react inside it (replacements, rescheduling, events). Each idea
 * lives in its own module: pods, nodes (and cordon/drain), workloads (the ReplicaSet controller,
 * scale), labels (label/annotate), rollout, cniSwitch, apply.
 *
 * Errors carry kubectl's words: `Error from server (NotFound): pods "x" not found`,
 * `Error from server (AlreadyExists): pods "x" already exists`.
 */
export { addPod, deletePod, movePod } from './pods';
export { addNode, deleteNode, cordonNode, drainNode, UNSCHEDULABLE_TAINT, type DrainOptions, type DrainResult } from './nodes';
export { scaleWorkload } from './workloads';
export { setLabels, setAnnotations } from './labels';
export { rolloutRestart } from './rollout';
export { setCni, setKubeProxy } from './cniSwitch';
export { applyManifests, deleteObject } from './apply';
