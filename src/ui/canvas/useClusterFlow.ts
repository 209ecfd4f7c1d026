/** The drawing of a cluster at a semantic level, memoised per cluster (network and Services derived once). */
import { useMemo } from 'react';
import { networkOf } from '../../engine/cni/network';
import type { Cluster } from '../../engine/model/cluster';
import { toFlow, type Flow, type SemanticLevel } from '../toFlow';
import { servicesOfCluster } from './serviceTable';

const EMPTY: Flow = { nodes: [], edges: [] };

export function useClusterFlow(cluster: Cluster | null, level: SemanticLevel, focusService: string | null = null): Flow {
  const network = useMemo(() => (cluster ? networkOf(cluster) : null), [cluster]);
  const services = useMemo(() => (cluster ? servicesOfCluster(cluster) : null), [cluster]);
  return useMemo(() => (cluster && network ? toFlow(cluster, network, { level, services, focusService }) : EMPTY), [cluster, network, services, level, focusService]);
}
