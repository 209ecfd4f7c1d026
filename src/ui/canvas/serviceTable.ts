/**
 * The engine's Service table for the drawing. `servicesOf` (engine/services/table.ts) is the
 * shared builder kube-proxy, DNS and kubectl read; while it has not landed, the DNS module's
 * table of the same shape stands in. The glob import finds the module when it exists without
 * breaking the build when it does not.
 */
import type { Cluster } from '../../engine/model/cluster';
import { serviceTableOf } from '../../engine/dns/serviceTable';
import type { ServiceTable } from '../../engine/services/types';

type TableModule = { servicesOf?: (cluster: Cluster) => ServiceTable };
const modules = import.meta.glob<TableModule>('../../engine/services/table.ts', { eager: true });
const shared = Object.values(modules)[0]?.servicesOf;

/** The Service table of a cluster, or null when it cannot be built (a drawing without Services beats no drawing). */
export function servicesOfCluster(cluster: Cluster): ServiceTable | null {
  try {
    return shared ? shared(cluster) : serviceTableOf(cluster);
  } catch {
    return null;
  }
}
