/**
 * The engine's loader for parsed documents (loadParsed.ts), a chunk of its own: the first paint
 * of the demo does not need it (its cluster is built in), a restored save does (main.tsx fetches
 * it first), and the editing chunk brings the full loader anyway.
 */
export { loadParsedCluster } from '../engine/loadParsed';
