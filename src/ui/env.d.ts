/// <reference types="vite/client" />

/** A scenario file with its YAML documents parsed at build time (vite.config.ts, builtInScenario). */
declare module '*.yaml?scenario' {
  const scenario: { text: string; docs: unknown[] };
  export default scenario;
}
