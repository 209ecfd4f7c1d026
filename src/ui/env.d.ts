/// <reference types="vite/client" />

/** A scenario file with its YAML documents parsed and its cluster built at build time (vite.config.ts, builtInScenario). */
declare module '*.yaml?scenario' {
  const scenario: { text: string; docs: unknown[]; cluster: import('./state/clusterCopy').EncodedCluster };
  export default scenario;
}
