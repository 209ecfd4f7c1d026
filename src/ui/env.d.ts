/// <reference types="vite/client" />

/** A scenario file with its YAML documents parsed, its cluster built and drawn at build time (vite.config.ts, builtInScenario). */
declare module '*.yaml?scenario' {
  const scenario: { text: string; docs: unknown[]; cluster: import('./state/clusterCopy').EncodedCluster; drawn: import('./drawing').BuiltInDrawing };
  export default scenario;
}
