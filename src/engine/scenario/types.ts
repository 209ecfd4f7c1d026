/**
 * A scenario after parsing, validation, defaulting, workload expansion and scheduling,
 * but before addresses are allocated (model/build.ts does that). Addresses the files
 * recorded (`spec.podCIDR`, `status.addresses`, `status.podIP`, `spec.clusterIP`) are kept
 * here so allocation honours them.
 */
import type { Cidr, Ipv4 } from '../addressing/ipv4';
import type { ClusterConfig, ContainerSpec, PodDns, ManifestRec, NamespaceRec, NodeRole, ObjectMeta, WorkloadRec } from '../model/cluster';
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
  /** spec.tolerations as given (the scheduler reads the control-plane NoSchedule one). */
  tolerations?: Toleration[];
  source?: SourceRef;
}

/** core/v1 Toleration. */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal' | string;
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' | string;
  tolerationSeconds?: number;
}

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
}
