/**
 * The cluster as the engine holds it: Kubernetes objects after defaulting, scheduling and
 * address allocation, plus the allocators' state. Network namespaces are *derived* from this
 * (see model/netns.ts and cni/) and never stored as a second source of truth.
 *
 * Invariants:
 * - `nodes` keeps node order (it decides PodCIDR order, as the range allocator does).
 * - every scheduled pod on the pod network has an `attachment` whose IP lies in its
 *   node's range (PodCIDR, Calico block, Cilium pool CIDR or the VPC subnet);
 * - hostNetwork pods have no attachment and use their node's IP.
 */
import type { Cidr, Ipv4 } from '../addressing/ipv4';
import type { SourceRef } from './source';

/**
 * The CNI modes (`spec.cni`). Adding one — the path `gke` took, for the next cloud mode:
 * 1. here, and the plugin: `cni/<mode>.ts` (a `CniPlugin`: buildNode/buildPod/nodeFiles/daemonSet,
 *    citing the real plugin) registered in `cni/registry.ts`; a section in `cni/README.md`.
 *    A cloud mode sets `fabric: 'vpc'`, `cloud` and `fabricRoutes` (what the VPC/VNet routes to
 *    each node: cni/fabricTable.ts): traces get the fabric hop, `external/vm` reaches pod IPs
 *    through it (external/world.ts), cluster-only ranges take `reach: 'cluster'`.
 * 2. addressing: the IPAM kind (`addressing/ipam/index.ts` createIpam) and the ifindex layout
 *    (`addressing/ipam/ifindexLayout.ts`).
 * 3. the names tables keyed by CniMode: `model/events.ts` CNI_TYPE; the DaemonSet → mode map of
 *    `scenario/loadScenario.ts` CNI_BY_DAEMONSET and its labels in `scenario/system.ts` and
 *    `controllers/cniSwitch.ts`; Cluster-document fields/defaults in `scenario/clusterConfig.ts`
 *    (+ `scenario/serialize.ts` to write them back).
 * 4. behaviour: NetworkPolicy (`policy/enforcement.ts`, `policy/unenforced.ts`), egress SNAT
 *    (`cni/masquerade.ts`), eBPF programs (`dataplane/bpfPrograms.ts`, `trace/datapath.ts`), the
 *    Linux export (`export/exportable.ts` + tests/kernel/).
 * 5. the tests that enumerate modes (`scenario/loadScenario.test.ts` error text), the app (the CNI
 *    switch and Compare iterate CNI_MODES; `ui/toFlow.ts` podRangeField label; an example in
 *    `public/examples/` + index.json, a scenario in `src/scenarios/`), docs/scenario-format.md,
 *    docs/network-policy.md, docs/linux-export.md, README's CNI table, `cli/usage.ts`.
 */
export const CNI_MODES = [
  'flannel',
  'flannel-host-gw',
  'calico',
  'calico-ipip',
  'calico-vxlan',
  'cilium',
  'cilium-native',
  'weave',
  'aws-vpc',
  'azure-cni',
  'azure-cni-overlay',
  'gke',
  'gke-dataplane-v2',
] as const;
export type CniMode = (typeof CNI_MODES)[number];

/** Modes whose node datapath is Cilium's eBPF: cilium, cilium-native and GKE Dataplane V2 (anetd is GKE's Cilium). */
export const runsCilium = (cni: CniMode): boolean => cni.startsWith('cilium') || cni === 'gke-dataplane-v2';

export const KUBE_PROXY_MODES = ['iptables', 'ipvs', 'nftables', 'none'] as const;
export type KubeProxyMode = (typeof KUBE_PROXY_MODES)[number];

export interface ClusterConfig {
  name: string;
  cni: CniMode;
  kubeProxy: KubeProxyMode;
  /** --cluster-cidr of kube-controller-manager (and the CNI pool it is handed). */
  podCIDR: Cidr;
  /** --node-cidr-mask-size. */
  nodeCIDRMaskSize: number;
  serviceCIDR: Cidr;
  nodeNetwork: Cidr;
  clusterDomain: string;
  /** WireGuard node-to-node encryption (calico*, cilium*). */
  wireguard: boolean;
  /** MTU of the node network interfaces (eth0). */
  nodeMtu: number;
  /** Seed of the deterministic random source (pod name suffixes, MACs of random devices). */
  seed: number;
  /** Kubernetes version the simulated cluster reports (kubectl get nodes VERSION column). */
  kubernetesVersion: string;
  /**
   * An Ingress controller the cluster runs (Cluster document `spec.ingressController`). ingress-nginx
   * is also installed, without the option, when the scenario has Ingress objects; `none` prevents it.
   */
  ingressController?: 'nginx' | 'none';
  /** Azure (azure-cni*): the VNet's address space (AKS default 10.224.0.0/12); nodeNetwork is its node subnet. */
  vnetCIDR?: Cidr;
  /**
   * Pods per node the cloud sizes each node's pod range for (GKE `--default-max-pods-per-node`,
   * default 110 → a /24 alias range; it also sets kubelet's max-pods). Cloud modes only.
   */
  maxPodsPerNode?: number;
  /**
   * A managed cluster's network policy add-on: GKE `--enable-network-policy` runs Calico (legacy
   * datapath); AKS `--network-policy` azure (Azure NPM) or calico. Absent: none.
   */
  networkPolicy?: 'calico' | 'azure';
  /** Networks peered with the cluster's (VPC Network Peering): none of the cluster's ranges may overlap them. */
  peerings?: { name: string; cidr: Cidr }[];
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  uid: string;
  /** Simulated creation time, seconds since the scenario's epoch (deterministic). */
  creationTimestamp: string;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
}

export interface NamespaceRec {
  kind: 'Namespace';
  meta: ObjectMeta;
  source?: SourceRef;
}

export type NodeRole = 'control-plane' | 'worker';

export interface NodeRec {
  kind: 'Node';
  meta: ObjectMeta;
  role: NodeRole;
  /** InternalIP on the node network. */
  ip: Ipv4;
  /** spec.podCIDR (null for CNIs whose IPAM ignores it and when the allocator was not asked). */
  podCIDR: Cidr | null;
  /** Max pods (kubelet default 110). */
  capacityPods: number;
  /** Calico IPAM blocks affine to this node, in the order they were claimed. */
  blocks: Cidr[];
  /** MAC of eth0 and of the tunnel device (flannel VtepMAC etc.), stable per node. */
  macs: Record<string, string>;
  /** Calico tunl0 / vxlan.calico address (first address Calico IPAM hands out of the node's first block). */
  tunnelIp?: Ipv4;
  /** Calico wireguard.cali / Cilium cilium_wg0 address, when WireGuard is on. */
  wireguardIp?: Ipv4;
  /** Cilium's cilium_host address (the router IP, first address of the node's pool CIDR). */
  routerIp?: Ipv4;
  /** Weave's `weave` bridge address (weave expose). */
  bridgeIp?: Ipv4;
  /** azure-cni: the NIC's secondary IP configurations, pre-allocated at node creation (--max-pods of them). */
  secondaryIps?: Ipv4[];
  osImage: string;
  kernelVersion: string;
  containerRuntime: string;
  /** spec.taints as in the API (kubeadm's control-plane taint only on nodes podpath generates itself). */
  taints?: Taint[];
  /** spec.unschedulable (`kubectl cordon`). */
  unschedulable?: boolean;
  source?: SourceRef;
}

/** A node taint (core/v1 Taint). */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** core/v1 Toleration. */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal' | string;
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string;
  tolerationSeconds?: number;
}

/** core/v1 NodeSelectorRequirement (matchExpressions / matchFields of a node selector term). */
export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt' | string;
  values?: string[];
}

/** core/v1 NodeSelectorTerm: its requirements are ANDed; the terms of a selector are ORed. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/**
 * What the scheduler reads of a pod's spec besides its containers: tolerations, nodeSelector and
 * affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.
 */
export interface PodScheduling {
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  /** Required node affinity terms (absent: no required node affinity). */
  nodeAffinity?: NodeSelectorTerm[];
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports: ContainerPort[];
}

/** The pod's veth (or equivalent) as the CNI ADD call left it. */
export interface PodAttachment {
  ip: Ipv4;
  /** Prefix length of the address on the pod's eth0 (/24 with host-local, /32 with Calico and Cilium). */
  prefix: number;
  /** Host-side interface name: veth1a2b3c4d, cali7f94ce7c295, lxc..., eni... */
  hostIfname: string;
  hostIfindex: number;
  /** ifindex of eth0 inside the pod namespace. */
  podIfindex: number;
  podMac: string;
  hostMac: string;
  mtu: number;
  /** Cilium endpoint id, when the CNI has one. */
  endpointId?: number;
}

/** spec.dnsPolicy and spec.dnsConfig as given (absent: ClusterFirst without dnsConfig). */
export interface PodDns {
  policy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  nameservers?: string[];
  searches?: string[];
  options?: { name: string; value?: string }[];
}

export interface PodRec {
  kind: 'Pod';
  meta: ObjectMeta;
  nodeName: string;
  hostNetwork: boolean;
  containers: ContainerSpec[];
  hostname?: string;
  subdomain?: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready: boolean;
  attachment?: PodAttachment;
  /** Deterministic container id (crictl ps), and pid of the sandbox for nsenter. */
  containerId: string;
  pid: number;
  restartPolicy?: string;
  /** dnsPolicy/dnsConfig when the spec sets them (kubelet writes /etc/resolv.conf from them). */
  dns?: PodDns;
  /** spec.tolerations / nodeSelector / required node affinity, when the spec sets them (a Pending pod is scheduled again with them). */
  scheduling?: PodScheduling;
  /**
   * Why the pod is not Running, as kubectl shows it: status.reason/message for a Failed pod
   * (`OutOfpods`), the PodScheduled=False condition's reason for a Pending one (`Unschedulable`),
   * or the container's waiting reason (`ContainerCreating`) while the CNI cannot give it an IP.
   * Absent for a Running pod.
   */
  status?: PodStatusDetail;
  source?: SourceRef;
}

export interface PodStatusDetail {
  /** STATUS column of `kubectl get pods`: Pending, ContainerCreating, OutOfpods … */
  display: string;
  reason?: string;
  message?: string;
}

/**
 * A core/v1 Event as `kubectl get events` and `describe`'s Events section show it. Times are the
 * simulated clock (seconds since the scenario's epoch). Repeated events are counted, not copied.
 */
export interface EventRec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  involvedObject: { kind: string; namespace?: string; name: string; uid?: string };
  /** Reporting component (`default-scheduler`, `kubelet`, `replicaset-controller` …) and its host. */
  source: { component: string; host?: string };
  firstTimestamp: number;
  lastTimestamp: number;
  count: number;
}

/** Deployments, ReplicaSets and DaemonSets are kept as given (their pods are expanded). */
export interface WorkloadRec {
  kind: 'Deployment' | 'ReplicaSet' | 'DaemonSet';
  meta: ObjectMeta;
  replicas: number;
  selector: Record<string, unknown>;
  template: Record<string, unknown>;
  /** pod-template-hash for Deployments' ReplicaSets. */
  templateHash?: string;
  manifest: Record<string, unknown>;
  source?: SourceRef;
}

/**
 * Services, Endpoints, EndpointSlices, NetworkPolicies: validated manifests kept whole for the
 * later layers (kube-proxy, DNS, policy) to interpret.
 */
export interface ManifestRec {
  kind: 'Service' | 'Endpoints' | 'EndpointSlice' | 'NetworkPolicy' | 'ConfigMap' | string;
  meta: ObjectMeta;
  manifest: Record<string, unknown>;
  source?: SourceRef;
}

/** State the address allocators keep between operations (so IP reuse follows the real IPAM). */
export interface IpamState {
  /** host-local: per node, the last reserved IP (host-local resumes after it, round-robin). */
  lastReserved: Record<string, Ipv4>;
  /** Calico: per block (CIDR string), the free ordinals in allocation order. */
  blockFree: Record<string, number[]>;
  /** Per node, the next interface index to hand out in the node namespace. */
  nextIfindex: Record<string, number>;
  /** Next Cilium endpoint id. */
  nextEndpointId: number;
  /**
   * The node-range allocator's `nextCandidate` (kube-controller-manager cidrset, or Cilium's
   * operator pool): it resumes after the last range it handed out, so a released range is not
   * reused at once. Optional: absent means 0.
   */
  nextPodCidrIndex?: number;
}

export interface Cluster {
  config: ClusterConfig;
  namespaces: Map<string, NamespaceRec>;
  /** In node order. */
  nodes: NodeRec[];
  /** Keyed `namespace/name`, in creation order. */
  pods: Map<string, PodRec>;
  workloads: Map<string, WorkloadRec>;
  /** Keyed `Kind/namespace/name`. */
  objects: Map<string, ManifestRec>;
  ipam: IpamState;
  /** State of the seeded random source after everything created so far. */
  rngState: number;
  /** Simulated clock, seconds since the scenario's epoch; advanced by commands, never read from the wall. */
  now: number;
  /**
   * Per-node settings changed at run time (`sysctl -w` in a node shell): sysctl keys such as
   * `net.bridge.bridge-nf-call-iptables`, and `/sys/class/net/DEV/brport/hairpin_mode`.
   * Applied over what the CNI builds (kubeproxy/nodeNetns.ts). Optional: absent means none.
   */
  nodeSysctls?: Record<string, Record<string, string>>;
  /** Events the controllers, scheduler and kubelets recorded, oldest first. Optional: absent means none. */
  events?: EventRec[];
}
