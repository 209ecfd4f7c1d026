/** The shell's public API: the interpreter and the Netns renderers the app's inspector reuses. */
export { createShell, type RunResult, type Shell } from './Shell';
export { chunksOf, type Chunk } from './types';
export type { ClusterOps, ShellOptions, Place } from './types';
export * as iproute2 from './iproute2';
