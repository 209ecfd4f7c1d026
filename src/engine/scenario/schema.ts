/**
 * Known field names per kind, for strict decoding (the API server rejects `spec.foo` with
 * `strict decoding error: unknown field "spec.foo"` since kubectl 1.25 defaults to
 * --validate=strict). Compact on purpose: it descends only into the structures the engine
 * reads (ObjectMeta, PodSpec, Container, ContainerPort, the workload/Service/NetworkPolicy specs
 * and the Cluster document); deeper values (probes, resources, volumes, status) are accepted
 * whole, so real `kubectl get -o yaml` dumps (status, managedFields, ...) pass.
 * Field lists: k8s.io/api core/v1, apps/v1, networking/v1, discovery/v1 types.go (v1.31).
 */
import type { Path } from './problems';
import { isPlainObject } from './parseFiles';

/** A literal schema: `1` accepts any value; an object lists known fields; `[schema]` is a list of such objects. */
type Lit = 1 | { [field: string]: Lit } | [{ [field: string]: Lit }];

export interface Schema {
  fields: Map<string, Schema | ListSchema | null>;
}
interface ListSchema {
  of: Schema;
}

function compile(lit: { [field: string]: Lit }): Schema {
  const fields = new Map<string, Schema | ListSchema | null>();
  for (const [k, v] of Object.entries(lit)) {
    if (v === 1) fields.set(k, null);
    else if (Array.isArray(v)) fields.set(k, { of: compile(v[0]) });
    else fields.set(k, compile(v));
  }
  return { fields };
}

const any = (...names: string[]): { [f: string]: 1 } => Object.fromEntries(names.map((n) => [n, 1 as const]));

const objectMeta = any(
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
);

const containerPort = any('name', 'hostPort', 'containerPort', 'protocol', 'hostIP');

const container = {
  ...any(
    'name', 'image', 'command', 'args', 'workingDir', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy', 'volumeMounts',
    'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy',
    'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty',
  ),
  ports: [containerPort] as [typeof containerPort],
};

const podSpec = {
  ...any(
    'volumes', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector',
    'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC',
    'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname', 'subdomain', 'affinity', 'schedulerName', 'tolerations',
    'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName', 'enableServiceLinks',
    'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates',
    'resourceClaims', 'resources',
  ),
  containers: [container] as [typeof container],
  initContainers: [container] as [typeof container],
};

const podTemplate = { metadata: objectMeta, spec: podSpec };
const top = (extra: { [f: string]: Lit }) => ({ apiVersion: 1 as const, kind: 1 as const, metadata: objectMeta, ...extra });

const servicePort = any('name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort');

export const SCHEMAS: Record<string, Schema> = {
  Namespace: compile(top({ spec: any('finalizers'), status: 1 })),
  Node: compile(top({ spec: any('podCIDR', 'podCIDRs', 'providerID', 'unschedulable', 'taints', 'configSource', 'externalID'), status: 1 })),
  Pod: compile(top({ spec: podSpec, status: 1 })),
  Deployment: compile(
    top({ spec: { ...any('replicas', 'selector', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'), template: podTemplate }, status: 1 }),
  ),
  ReplicaSet: compile(top({ spec: { ...any('replicas', 'minReadySeconds', 'selector'), template: podTemplate }, status: 1 })),
  DaemonSet: compile(top({ spec: { ...any('selector', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'), template: podTemplate }, status: 1 })),
  Service: compile(
    top({
      spec: {
        ...any(
          'selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP', 'loadBalancerSourceRanges',
          'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses', 'sessionAffinityConfig', 'ipFamilies',
          'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'internalTrafficPolicy', 'trafficDistribution',
        ),
        ports: [servicePort] as [typeof servicePort],
      },
      status: 1,
    }),
  ),
  Endpoints: compile(top({ subsets: 1 })),
  EndpointSlice: compile(top({ addressType: 1, endpoints: 1, ports: 1 })),
  NetworkPolicy: compile(top({ spec: any('podSelector', 'ingress', 'egress', 'policyTypes'), status: 1 })),
  ConfigMap: compile(top({ data: 1, binaryData: 1, immutable: 1 })),
  Secret: compile(top({ data: 1, stringData: 1, type: 1, immutable: 1 })),
  CiliumNetworkPolicy: compile(top({ spec: 1, specs: 1, status: 1 })),
  Ingress: compile(top({ spec: any('ingressClassName', 'defaultBackend', 'tls', 'rules'), status: 1 })),
  IngressClass: compile(top({ spec: any('controller', 'parameters') })),
  Cluster: compile(
    top({
      spec: {
        ...any('cni', 'kubeProxy', 'podCIDR', 'nodeCIDRMaskSize', 'serviceCIDR', 'nodeNetwork', 'clusterDomain', 'wireguard', 'nodeMtu', 'seed', 'kubernetesVersion', 'ingressController'),
        nodes: [any('name', 'role', 'ip', 'podCIDR', 'capacity')],
      },
    }),
  ),
};

/** apiVersion each supported kind is served at. */
export const API_VERSION: Record<string, string> = {
  Namespace: 'v1',
  Node: 'v1',
  Pod: 'v1',
  Service: 'v1',
  Endpoints: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  CiliumNetworkPolicy: 'cilium.io/v2',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  Cluster: 'podpath/v1alpha1',
};

/** Calls `report` with the path of every field the schema does not know. Linear in the object's size down to the schema's depth. */
export function unknownFields(value: Record<string, unknown>, schema: Schema, report: (path: Path) => void): void {
  walk(value, schema, [], report);
}

function walk(value: Record<string, unknown>, schema: Schema, path: Path, report: (path: Path) => void): void {
  for (const key in value) {
    const sub = schema.fields.get(key);
    if (sub === undefined) {
      report([...path, key]);
      continue;
    }
    if (sub === null) continue;
    const v = value[key];
    if ('fields' in sub) {
      if (isPlainObject(v)) {
        path.push(key);
        walk(v, sub, path, report);
        path.pop();
      }
    } else if (Array.isArray(v)) {
      path.push(key);
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        if (isPlainObject(item)) {
          path.push(i);
          walk(item, sub.of, path, report);
          path.pop();
        }
      }
      path.pop();
    }
  }
}
