/**
 * A scenario after parsing, validation, defaulting, workload expansion and scheduling,
 * but before addresses are allocated (model/build.ts does that). Addresses the files
 * recorded (`spec.podCIDR`, `status.addresses`, `status.podIP`, `spec.clusterIP`) are kept
 * here so allocation honours them.
 */
import type { Cidr, Ipv4 } from '../addressing/ipv4';
import type { ClusterConfig, ContainerSpec, PodDns, ManifestRec, NamespaceRec, NodeRole, NodeSelectorTerm, ObjectMeta, PodStatusDetail, Taint, Toleration, WorkloadRec } from '../model/cluster';
import type { SourceRef } from '../model/source';

export interface ScenarioFile {
  /** Shown in errors: a path, `-` for stdin, or `scenario.yaml` in the app. */
  name: string;
  text: string;
  /**
   * The documents of `text` as parseYamlFile (scenario/parseYaml.ts) parsed them; a cache (the
   * app's autosave, the built-in demo): when present the text is not parsed again, and still
   * gives error positions.
   */
  docs?: unknown[];
}

export interface NodeDecl {
  meta: ObjectMeta;
  role: NodeRole;
  ip?: Ipv4;
  podCIDR?: Cidr;
  capacityPods: number;
  /** spec.taints (kubeadm's control-plane taint on the control-plane nodes podpath generates itself). */
  taints?: Taint[];
  /** spec.unschedulable (cordoned). */
  unschedulable?: boolean;
  source?: SourceRef;
}

export interface PodDecl {
  meta: ObjectMeta;
  /** Set by the file or by the scheduler. */
  nodeName: string;
  hostNetwork: boolean;
  containers: ContainerSpec[];
  hostname?: string;
  subdomain?: string;
  /** status.podIP from the file, kept instead of allocated. */
  podIP?: Ipv4;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready: boolean;
  restartPolicy?: string;
  dns?: PodDns;
  /** spec.tolerations as given (the scheduler and the DaemonSet controller read them). */
  tolerations?: Toleration[];
  /** spec.nodeSelector. */
  nodeSelector?: Record<string, string>;
  /** spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms. */
  nodeAffinity?: NodeSelectorTerm[];
  /**
   * Why the pod is not Running, set by the scheduler (Unschedulable), the kubelet's admission
   * (OutOfpods) or a recorded status.reason; absent for a Running pod.
   */
  status?: PodStatusDetail;
  /** True when the scheduler placed the pod (it gets a `Scheduled` event); false/absent when spec.nodeName bound it. */
  scheduled?: boolean;
  source?: SourceRef;
}

export type { Toleration } from '../model/cluster';

export interface Scenario {
  files: ScenarioFile[];
  config: ClusterConfig;
  /** Where the `kind: Cluster` document was, when there is one. */
  configSource?: SourceRef;
  namespaces: NamespaceRec[];
  /** In node order (Cluster document order, then Node manifests in file order). */
  nodes: NodeDecl[];
  /** In creation order: system pods first (as a cluster boots), then the file's pods and workload pods in document order. */
  pods: PodDecl[];
  workloads: WorkloadRec[];
  /** Services, Endpoints, EndpointSlices, NetworkPolicies, ConfigMaps: validated, kept whole. */
  objects: ManifestRec[];
  /** The Cluster document's `spec.nodeSysctls` (cluster.nodeSysctls), node names checked. */
  nodeSysctls?: Record<string, Record<string, string>>;
  /** Device MTUs set at run time (Cluster document `spec.linkMtus`; Cluster.linkMtus). */
  linkMtus?: Record<string, Record<string, number>>;
}
