/**
 * A GKE VPC-native cluster's three ranges, as the Cluster document gives them (`cni: gke` or
 * `gke-dataplane-v2`): the subnet's primary range (the nodes: `nodeNetwork`), its secondary range
 * for pods (`podCIDR`, GKE's `--cluster-ipv4-cidr`) and for Services (`serviceCIDR`,
 * `--services-ipv4-cidr`). Each node gets an alias IP range of the pod range, sized from the
 * maximum pods per node (GKE doubles it and rounds up to a power of two, "Configure maximum Pods
 * per node": 8 → /28, 9–16 → /27, 17–32 → /26, 33–64 → /25, 65–128 → /24, 129–256 → /23).
 *
 * Defaults: the `default` subnet of an auto-mode VPC in us-central1 (10.128.0.0/20), a /14 pod
 * range and a /20 Services range as GKE picks them (10.4.0.0/14 and 10.8.0.0/20, the ranges of
 * the GKE docs' and the seed chapter's example), VPC MTU 1460 (the VPC default), 110 pods per node.
 *
 * Validation says what Compute Engine says when the ranges conflict (subnetwork secondary ranges
 * overlapping each other or the primary range, or a range of a peered network):
 *   Invalid value for field 'resource.secondaryIpRanges[1].ipCidrRange': '10.80.0.0/20'. Invalid
 *   IPCidrRange: 10.80.0.0/20 conflicts with peer network of peer network in active peering '…'.
 * (the GCE error quoted in legion-platform/legion#989; "conflicts with existing subnetwork
 * 'NAME' in region 'REGION'" as in the GCE errors of terraform-google-modules issues).
 */
import { Cidr } from '../addressing/ipv4';
import type { ClusterConfig, CniMode } from '../model/cluster';
import { invalid } from './messages';
import type { ObjectPlace, Problems } from './problems';

export const isGke = (cni: CniMode): boolean => cni === 'gke' || cni === 'gke-dataplane-v2';

/** The subnetwork and region GCE names in its errors: an auto-mode VPC's `default` subnet in us-central1. */
export const GKE_SUBNETWORK = 'default';
export const GKE_REGION = 'us-central1';

export const GKE_DEFAULTS = {
  nodeNetwork: Cidr.parse('10.128.0.0/20')!,
  podCIDR: Cidr.parse('10.4.0.0/14')!,
  serviceCIDR: Cidr.parse('10.8.0.0/20')!,
  nodeMtu: 1460,
  maxPodsPerNode: 110,
} as const;

/** GKE Standard accepts 8 to 256 pods per node. */
export const GKE_MAX_PODS_RANGE: [number, number] = [8, 256];

/** The alias range prefix for `maxPods` pods per node: the smallest power of two ≥ 2 × maxPods (110 → /24, 64 → /25, 8 → /28). */
export function gkePodRangePrefix(maxPods: number): number {
  let size = 1;
  let prefix = 32;
  while (size < 2 * maxPods) {
    size *= 2;
    prefix--;
  }
  return prefix;
}

type ConfigField = keyof ClusterConfig;

/** GKE's defaults for every range the document did not set, and the per-node range from maxPodsPerNode. */
export function applyGkeDefaults(config: ClusterConfig, explicit: Set<ConfigField>): void {
  if (!isGke(config.cni)) return;
  for (const key of ['nodeNetwork', 'podCIDR', 'serviceCIDR', 'nodeMtu'] as const) {
    if (!explicit.has(key)) (config as unknown as Record<string, unknown>)[key] = GKE_DEFAULTS[key];
  }
  config.maxPodsPerNode ??= GKE_DEFAULTS.maxPodsPerNode;
  // Dataplane V2 replaces kube-proxy (clusterConfig.ts refuses another explicit mode).
  if (config.cni === 'gke-dataplane-v2' && !explicit.has('kubeProxy')) config.kubeProxy = 'none';
  if (!explicit.has('nodeCIDRMaskSize')) config.nodeCIDRMaskSize = gkePodRangePrefix(config.maxPodsPerNode);
}

/**
 * The three ranges must not overlap each other or a peered network (GCE refuses the subnetwork's
 * secondary ranges); the per-node range must be the one maxPodsPerNode implies.
 */
export function checkGkeRanges(config: ClusterConfig, place: ObjectPlace, problems: Problems): void {
  const subnet = `conflicts with existing subnetwork '${GKE_SUBNETWORK}' in region '${GKE_REGION}'.`;
  const gce = (index: number, c: Cidr, why: string) => `Invalid value for field 'resource.secondaryIpRanges[${index}].ipCidrRange': '${c}'. Invalid IPCidrRange: ${c} ${why}`;
  // secondaryIpRanges[0] is the pod range, [1] the Services range (the order gcloud creates them in).
  if (config.podCIDR.overlaps(config.nodeNetwork)) problems.at(place, ['spec', 'podCIDR'], gce(0, config.podCIDR, subnet));
  if (config.serviceCIDR.overlaps(config.nodeNetwork) || config.serviceCIDR.overlaps(config.podCIDR)) problems.at(place, ['spec', 'serviceCIDR'], gce(1, config.serviceCIDR, subnet));
  for (const p of config.peerings ?? []) {
    const peer = `conflicts with peer network of peer network in active peering '${p.name}'.`;
    if (config.nodeNetwork.overlaps(p.cidr)) problems.at(place, ['spec', 'nodeNetwork'], `Invalid value for field 'resource.ipCidrRange': '${config.nodeNetwork}'. Invalid IPCidrRange: ${config.nodeNetwork} ${peer}`);
    if (config.podCIDR.overlaps(p.cidr)) problems.at(place, ['spec', 'podCIDR'], gce(0, config.podCIDR, peer));
    if (config.serviceCIDR.overlaps(p.cidr)) problems.at(place, ['spec', 'serviceCIDR'], gce(1, config.serviceCIDR, peer));
  }
  const want = gkePodRangePrefix(config.maxPodsPerNode ?? GKE_DEFAULTS.maxPodsPerNode);
  if (config.nodeCIDRMaskSize !== want) {
    problems.at(place, ['spec', 'nodeCIDRMaskSize'], invalid(config.nodeCIDRMaskSize, `must be ${want} on GKE: each node's alias range is a /${want} for maxPodsPerNode ${config.maxPodsPerNode ?? GKE_DEFAULTS.maxPodsPerNode}`));
  }
}
