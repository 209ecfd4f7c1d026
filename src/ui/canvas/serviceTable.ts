/** The engine's Service table for the drawing: the same `servicesOf` kube-proxy, DNS and kubectl read. */
import type { Cluster } from '../../engine/model/cluster';
import { servicesOf } from '../../engine/services/table';
import type { ServiceTable } from '../../engine/services/types';

/** The Service table of a cluster, or null when it cannot be built (a drawing without Services beats no drawing). */
export function servicesOfCluster(cluster: Cluster): ServiceTable | null {
  try {
    return servicesOf(cluster);
  } catch {
    return null;
  }
}
