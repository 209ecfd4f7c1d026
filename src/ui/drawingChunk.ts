/**
 * The engine parts the drawing and the trace form need beyond the cluster itself: each node's
 * network namespaces as the CNI plugin builds them (every plugin's code) and the Service table
 * (ClusterIPs, endpoints). A chunk of its own: the demo's first paint draws from its drawings
 * made at build time (vite.config.ts builtInScenario), so this arrives after it (main.tsx);
 * a saved or shared scenario waits for it. Handed over through drawing.ts.
 */
export { networkOf } from '../engine/cni/network';
export { servicesOfCluster } from './canvas/serviceTable';
