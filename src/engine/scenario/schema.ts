/**
 * The API server's decoding of an object, in one place: every field the engine reads has a
 * declared type, and a value of the wrong type is refused with the decoder's own error
 * (encoding/json through sigs.k8s.io/json: `json: cannot unmarshal array into Go struct field
 * ObjectMeta.metadata.name of type string`); a field the type does not have is refused by
 * strict field validation (`strict decoding error: unknown field "spec.foo"`, kubectl ≥ 1.25
 * defaults to --validate=strict). Readers after this step can rely on the types: a string
 * field holds a string or nothing.
 *
 * Compact on purpose: it descends only into the structures the engine reads (ObjectMeta,
 * PodSpec, Container, ContainerPort, the workload/Service/Endpoints specs and the Cluster
 * document); deeper values (probes, resources, volumes, status) are accepted whole, so real
 * `kubectl get -o yaml` dumps (status, managedFields, ...) pass.
 * Field lists and types: k8s.io/api core/v1, apps/v1, networking/v1, discovery/v1 types.go (v1.31).
 *
 * encoding/json's UnmarshalTypeError (Go ≥ 1.20, decode.go): "json: cannot unmarshal " + Value +
 * " into Go struct field " + Struct + "." + Field + " of type " + Type, where Value is the JSON
 * kind ("string", "number", "bool", "array", "object") — "number 3.5" when a number does not fit
 * an integer type —, Struct the innermost struct holding the field, Field the JSON keys from the
 * object's root joined by dots (no indexes, no map keys). A JSON null decodes into anything.
 */
import { fieldPath, type Path } from './problems';
import { isPlainObject } from './parseFiles';

/** Scalar and collection leaves, named by the Go type the decoder reports. */
type LeafType = 'string' | 'int32' | 'int64' | 'int' | 'bool' | 'map[string]string' | '[]string' | 'intstr';

interface Leaf {
  t: 'leaf';
  go: LeafType;
}
/** A Go struct: `name` is what UnmarshalTypeError.Struct prints, `go` its type (`v1.PodSpec`). */
export interface StructSchema {
  t: 'struct';
  name: string;
  go: string;
  fields: Map<string, FieldSchema>;
  /** Fields not listed are accepted whole (`'*': 1`: a CRD's parts podpath does not read). */
  open: boolean;
}
interface ListSchema {
  t: 'list';
  of: StructSchema;
}
/** null: accepted whole, any type (status, probes, ...). */
type FieldSchema = null | Leaf | StructSchema | ListSchema;

/** Literal form: 1 = any; a leaf type name; a struct; [struct] a list of them. */
type Lit = 1 | LeafType | StructLit | [StructLit];
interface StructLit {
  $: string;
  [field: string]: Lit | string;
}

function compile(lit: StructLit): StructSchema {
  const fields = new Map<string, FieldSchema>();
  for (const [k, v] of Object.entries(lit)) {
    if (k === '$' || k === '*') continue;
    const f = v as Lit;
    if (f === 1) fields.set(k, null);
    else if (typeof f === 'string') fields.set(k, { t: 'leaf', go: f });
    else if (Array.isArray(f)) fields.set(k, { t: 'list', of: compile(f[0]) });
    else fields.set(k, compile(f));
  }
  const go = lit.$;
  return { t: 'struct', go, name: go.slice(go.indexOf('.') + 1), fields, open: '*' in lit };
}

/** Fields of one leaf type. */
const all = <T extends Lit>(type: T, ...names: string[]): Record<string, T> => Object.fromEntries(names.map((n) => [n, type]));

const ownerReference: StructLit = { $: 'v1.OwnerReference', ...all('string', 'apiVersion', 'kind', 'name', 'uid'), ...all('bool', 'controller', 'blockOwnerDeletion') };
const objectMeta: StructLit = {
  $: 'v1.ObjectMeta',
  ...all('string', 'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion'),
  generation: 'int64',
  deletionGracePeriodSeconds: 'int64',
  // metav1.Time: kept loose (a scenario written by podpath records seconds since its epoch).
  ...all(1, 'creationTimestamp', 'deletionTimestamp', 'managedFields'),
  labels: 'map[string]string',
  annotations: 'map[string]string',
  finalizers: '[]string',
  ownerReferences: [ownerReference],
};

const containerPort: StructLit = { $: 'v1.ContainerPort', ...all('string', 'name', 'protocol', 'hostIP'), ...all('int32', 'hostPort', 'containerPort') };

const container: StructLit = {
  $: 'v1.Container',
  ...all('string', 'name', 'image', 'workingDir', 'restartPolicy', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy'),
  ...all('[]string', 'command', 'args'),
  ...all('bool', 'stdin', 'stdinOnce', 'tty'),
  ...all(1, 'envFrom', 'env', 'resources', 'resizePolicy', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'securityContext'),
  ports: [containerPort],
};

const toleration: StructLit = { $: 'v1.Toleration', ...all('string', 'key', 'operator', 'value', 'effect'), tolerationSeconds: 'int64' };
const dnsConfig: StructLit = { $: 'v1.PodDNSConfig', ...all('[]string', 'nameservers', 'searches'), options: [{ $: 'v1.PodDNSConfigOption', ...all('string', 'name', 'value') }] };

const podSpec: StructLit = {
  $: 'v1.PodSpec',
  ...all('string', 'restartPolicy', 'dnsPolicy', 'serviceAccountName', 'serviceAccount', 'nodeName', 'hostname', 'subdomain', 'schedulerName', 'priorityClassName', 'runtimeClassName', 'preemptionPolicy'),
  ...all('bool', 'automountServiceAccountToken', 'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'enableServiceLinks', 'setHostnameAsFQDN', 'hostUsers'),
  ...all('int64', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds'),
  priority: 'int32',
  nodeSelector: 'map[string]string',
  ...all(1, 'volumes', 'ephemeralContainers', 'securityContext', 'imagePullSecrets', 'affinity', 'hostAliases', 'readinessGates', 'overhead', 'topologySpreadConstraints', 'os', 'schedulingGates', 'resourceClaims', 'resources'),
  tolerations: [toleration],
  dnsConfig,
  containers: [container],
  initContainers: [container],
};

const labelSelector: StructLit = { $: 'v1.LabelSelector', matchLabels: 'map[string]string', matchExpressions: [{ $: 'v1.LabelSelectorRequirement', ...all('string', 'key', 'operator'), values: '[]string' }] };
const podTemplate: StructLit = { $: 'v1.PodTemplateSpec', metadata: objectMeta, spec: podSpec };

/** A top-level object: TypeMeta (checked before decoding, readManifests.ts), metadata, the rest. */
const top = (kind: string, extra: Record<string, Lit>): StructLit => ({ $: kind, apiVersion: 1, kind: 1, metadata: objectMeta, ...extra });

const servicePort: StructLit = { $: 'v1.ServicePort', ...all('string', 'name', 'protocol', 'appProtocol'), ...all('int32', 'port', 'nodePort'), targetPort: 'intstr' };

const endpointPort = (go: string): StructLit => ({ $: go, ...all('string', 'name', 'protocol', 'appProtocol'), port: 'int32' });
const endpointAddress: StructLit = { $: 'v1.EndpointAddress', ...all('string', 'ip', 'hostname', 'nodeName'), targetRef: 1 };

const networkPolicyPeer: StructLit = { $: 'v1.NetworkPolicyPeer', podSelector: labelSelector, namespaceSelector: labelSelector, ipBlock: { $: 'v1.IPBlock', cidr: 'string', except: '[]string' } };
const networkPolicyPort: StructLit = { $: 'v1.NetworkPolicyPort', protocol: 'string', port: 'intstr', endPort: 'int32' };

const ingressBackend: StructLit = {
  $: 'v1.IngressBackend',
  service: { $: 'v1.IngressServiceBackend', name: 'string', port: { $: 'v1.ServiceBackendPort', name: 'string', number: 'int32' } },
  resource: 1,
};

/**
 * cilium.io/v2 CiliumNetworkPolicy (cilium pkg/policy/api rule.go, ingress.go, egress.go, l4.go,
 * http.go): the parts the engine reads are typed, the rest is open. A CRD's mistypes are reported
 * by the API server's OpenAPI validation, in its words (see crdTypeMessage).
 */
const endpointSelector: StructLit = { $: 'api.EndpointSelector', '*': 1, matchLabels: 'map[string]string', matchExpressions: [{ $: 'v1.LabelSelectorRequirement', ...all('string', 'key', 'operator'), values: '[]string' }] };
const cidrRule: StructLit = { $: 'api.CIDRRule', '*': 1, ...all('string', 'cidr', 'cidrGroupRef'), except: '[]string' };
const portRule: StructLit = {
  $: 'api.PortRule',
  '*': 1,
  ports: [{ $: 'api.PortProtocol', '*': 1, ...all('string', 'port', 'protocol'), endPort: 'int32' }],
  rules: {
    $: 'api.L7Rules',
    '*': 1,
    http: [{ $: 'api.PortRuleHTTP', '*': 1, ...all('string', 'method', 'path', 'host'), headers: '[]string' }],
    dns: [{ $: 'api.PortRuleDNS', '*': 1, ...all('string', 'matchName', 'matchPattern') }],
    l7proto: 'string',
  },
  serverNames: '[]string',
};
const ciliumPeers = (dir: 'from' | 'to'): Record<string, Lit> => ({
  [`${dir}Endpoints`]: [endpointSelector],
  [`${dir}Requires`]: [endpointSelector],
  [`${dir}Nodes`]: [endpointSelector],
  [`${dir}CIDR`]: '[]string',
  [`${dir}CIDRSet`]: [cidrRule],
  [`${dir}Entities`]: '[]string',
  toPorts: [portRule],
});
const ciliumRule: StructLit = {
  $: 'api.Rule',
  '*': 1,
  endpointSelector,
  nodeSelector: endpointSelector,
  description: 'string',
  ingress: [{ $: 'api.IngressRule', '*': 1, ...ciliumPeers('from') }],
  ingressDeny: [{ $: 'api.IngressDenyRule', '*': 1, ...ciliumPeers('from') }],
  egress: [{ $: 'api.EgressRule', '*': 1, ...ciliumPeers('to'), toFQDNs: [{ $: 'api.FQDNSelector', '*': 1, ...all('string', 'matchName', 'matchPattern') }] }],
  egressDeny: [{ $: 'api.EgressDenyRule', '*': 1, ...ciliumPeers('to') }],
};

/** Kinds served by a CustomResourceDefinition: validated by their OpenAPI schema, not decoded into Go structs. */
export const CRD_KINDS = new Set(['CiliumNetworkPolicy']);

export const SCHEMAS: Record<string, StructSchema> = Object.fromEntries(
  [
    top('Namespace', { spec: { $: 'v1.NamespaceSpec', finalizers: '[]string' }, status: 1 }),
    top('Node', {
      spec: {
        $: 'v1.NodeSpec',
        ...all('string', 'podCIDR', 'providerID', 'externalID'),
        podCIDRs: '[]string',
        unschedulable: 'bool',
        taints: [{ $: 'v1.Taint', ...all('string', 'key', 'value', 'effect'), timeAdded: 1 }],
        configSource: 1,
      },
      status: 1,
    }),
    top('Pod', { spec: podSpec, status: 1 }),
    top('Deployment', {
      spec: { $: 'v1.DeploymentSpec', ...all('int32', 'replicas', 'minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds'), paused: 'bool', strategy: 1, selector: labelSelector, template: podTemplate },
      status: 1,
    }),
    top('ReplicaSet', { spec: { $: 'v1.ReplicaSetSpec', ...all('int32', 'replicas', 'minReadySeconds'), selector: labelSelector, template: podTemplate }, status: 1 }),
    top('DaemonSet', { spec: { $: 'v1.DaemonSetSpec', ...all('int32', 'minReadySeconds', 'revisionHistoryLimit'), updateStrategy: 1, selector: labelSelector, template: podTemplate }, status: 1 }),
    top('Service', {
      spec: {
        $: 'v1.ServiceSpec',
        ...all('string', 'clusterIP', 'type', 'sessionAffinity', 'loadBalancerIP', 'externalName', 'externalTrafficPolicy', 'ipFamilyPolicy', 'loadBalancerClass', 'internalTrafficPolicy', 'trafficDistribution'),
        ...all('[]string', 'clusterIPs', 'externalIPs', 'loadBalancerSourceRanges', 'ipFamilies'),
        ...all('bool', 'publishNotReadyAddresses', 'allocateLoadBalancerNodePorts'),
        healthCheckNodePort: 'int32',
        selector: 'map[string]string',
        sessionAffinityConfig: { $: 'v1.SessionAffinityConfig', clientIP: { $: 'v1.ClientIPConfig', timeoutSeconds: 'int32' } },
        ports: [servicePort],
      },
      status: 1,
    }),
    top('Endpoints', { subsets: [{ $: 'v1.EndpointSubset', addresses: [endpointAddress], notReadyAddresses: [endpointAddress], ports: [endpointPort('v1.EndpointPort')] }] }),
    top('EndpointSlice', {
      addressType: 'string',
      endpoints: [
        {
          $: 'v1.Endpoint',
          addresses: '[]string',
          conditions: { $: 'v1.EndpointConditions', ...all('bool', 'ready', 'serving', 'terminating') },
          ...all('string', 'hostname', 'nodeName', 'zone'),
          ...all(1, 'targetRef', 'hints', 'deprecatedTopology'),
        },
      ],
      ports: [endpointPort('v1.EndpointPort')],
    }),
    top('NetworkPolicy', {
      spec: {
        $: 'v1.NetworkPolicySpec',
        podSelector: labelSelector,
        policyTypes: '[]string',
        ingress: [{ $: 'v1.NetworkPolicyIngressRule', from: [networkPolicyPeer], ports: [networkPolicyPort] }],
        egress: [{ $: 'v1.NetworkPolicyEgressRule', to: [networkPolicyPeer], ports: [networkPolicyPort] }],
      },
      status: 1,
    }),
    top('ConfigMap', { data: 'map[string]string', binaryData: 1, immutable: 'bool' }),
    top('Secret', { data: 'map[string]string', stringData: 'map[string]string', type: 'string', immutable: 'bool' }),
    top('CiliumNetworkPolicy', { spec: ciliumRule, specs: [ciliumRule], status: 1 }),
    top('Ingress', {
      spec: {
        $: 'v1.IngressSpec',
        ingressClassName: 'string',
        defaultBackend: ingressBackend,
        tls: [{ $: 'v1.IngressTLS', hosts: '[]string', secretName: 'string' }],
        rules: [{ $: 'v1.IngressRule', host: 'string', http: { $: 'v1.HTTPIngressRuleValue', paths: [{ $: 'v1.HTTPIngressPath', ...all('string', 'path', 'pathType'), backend: ingressBackend }] } }],
      },
      status: 1,
    }),
    top('IngressClass', { spec: { $: 'v1.IngressClassSpec', controller: 'string', parameters: 1 } }),
    top('Cluster', {
      spec: {
        $: 'podpath.ClusterSpec',
        ...all('string', 'cni', 'kubeProxy', 'podCIDR', 'serviceCIDR', 'nodeNetwork', 'clusterDomain', 'kubernetesVersion', 'ingressController'),
        vnetCIDR: 'string',
        ...all('int', 'nodeCIDRMaskSize', 'nodeMtu', 'seed', 'maxPodsPerNode'),
        networkPolicy: 'string',
        peerings: [{ $: 'podpath.Peering', ...all('string', 'name', 'cidr') }],
        wireguard: 'bool',
        nodes: [{ $: 'podpath.NodeSpec', ...all('string', 'name', 'role', 'ip', 'podCIDR'), capacity: 1 }],
      },
    }),
  ].map((lit) => [lit.$, compile(lit)]),
);

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

/** The JSON kind encoding/json names in UnmarshalTypeError.Value. */
export function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? 'number' : 'string';
}

/**
 * A number as encoding/json's float64 encoder writes it (what sigs.k8s.io/yaml hands the API
 * server for a YAML float): decimal below 1e21, else exponent form with at least two digits.
 */
export function goNumber(n: number): string {
  const s = String(n);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

const INT_RANGE: Record<'int32' | 'int64' | 'int', [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1],
  int: [-(2 ** 63), 2 ** 63 - 1],
};

/** `json: cannot unmarshal <value> into Go struct field <Struct.path> of type <type>`. */
export function cannotUnmarshal(value: string, struct: string, path: Path, goType: string): string {
  const field = path.filter((p) => typeof p === 'string').join('.');
  return `json: cannot unmarshal ${value} into Go struct field ${struct}.${field} of type ${goType}`;
}

/** The decoder's complaint about `v` in an integer field, or undefined when it fits. */
function intProblem(v: unknown, go: 'int32' | 'int64' | 'int'): string | undefined {
  if (typeof v !== 'number') return jsonKind(v);
  const [min, max] = INT_RANGE[go];
  return Number.isInteger(v) && v >= min && v <= max ? undefined : `number ${goNumber(v)}`;
}

/**
 * What the decoder says about `v` in a leaf of type `go`, or undefined: [value text, Go type,
 * the offending value, the list index or map key inside the leaf where it sits].
 */
function leafProblem(v: unknown, go: LeafType): [string, string, unknown, (string | number)?] | undefined {
  switch (go) {
    case 'string':
      return typeof v === 'string' ? undefined : [jsonKind(v), 'string', v];
    case 'bool':
      return typeof v === 'boolean' ? undefined : [jsonKind(v), 'bool', v];
    case 'int32':
    case 'int64':
    case 'int': {
      const p = intProblem(v, go);
      return p === undefined ? undefined : [p, go, v];
    }
    case 'intstr': {
      // intstr.IntOrString.UnmarshalJSON: a JSON string is a name; anything else decodes into IntVal (int32).
      if (typeof v === 'string') return undefined;
      const p = intProblem(v, 'int32');
      return p === undefined ? undefined : [p, 'int32', v];
    }
    case '[]string':
    case 'map[string]string': {
      const list = go === '[]string';
      if (list ? !Array.isArray(v) : !isPlainObject(v)) return [jsonKind(v), go, v];
      const entries = Object.entries(v as object);
      for (const [k, x] of entries) if (x !== null && typeof x !== 'string') return [jsonKind(x), 'string', x, list ? Number(k) : k];
      return undefined;
    }
  }
}

export interface DecodeReport {
  /** A field the type does not have (strict field validation). */
  unknown(path: Path): void;
  /** A value of the wrong type: the decoder's message. */
  mistyped(path: Path, message: string): void;
}

/**
 * Decode `value` (a top-level object) against `schema`: every unknown field and every
 * mistyped value is reported. Linear in the object's size down to the schema's depth.
 */
export function decodeObject(value: Record<string, unknown>, schema: StructSchema, report: DecodeReport, crd = false): void {
  walk(value, schema, [], report, crd ? crdTypeMessage : goTypeMessage);
}

/** What a mistyped value is called: the value, the struct holding it, its path, the expected Go type. */
type TypeMessage = (value: unknown, valueText: string, struct: string, path: Path, goType: string) => string;

const goTypeMessage: TypeMessage = (_value, valueText, struct, path, goType) => cannotUnmarshal(valueText, struct, path, goType);

/** The OpenAPI type a Go type is published as in a CRD schema. */
function openApiType(goType: string): string {
  if (goType.startsWith('[]')) return 'array';
  if (goType.startsWith('map[') || goType.includes('.')) return 'object';
  if (goType.startsWith('int')) return 'integer';
  return goType === 'bool' ? 'boolean' : 'string';
}

/** The OpenAPI type of a JSON value (kube-openapi validate: an integral number is an integer). */
function valueType(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  return jsonKind(v) === 'bool' ? 'boolean' : jsonKind(v);
}

/**
 * A CRD's mistyped value, as apiextensions-apiserver reports kube-openapi's InvalidType:
 * `spec.x: Invalid value: "integer": spec.x in body must be of type string: "integer"`.
 */
const crdTypeMessage: TypeMessage = (value, _valueText, _struct, path, goType) => {
  const at = fieldPath(path);
  const got = valueType(value);
  return `Invalid value: "${got}": ${at} in body must be of type ${openApiType(goType)}: "${got}"`;
};

function walk(value: Record<string, unknown>, schema: StructSchema, path: Path, report: DecodeReport, say: TypeMessage): void {
  for (const key in value) {
    const sub = schema.fields.get(key);
    if (sub === undefined) {
      if (!schema.open) report.unknown([...path, key]);
      continue;
    }
    const v = value[key];
    if (sub === null || v === null || v === undefined) continue;
    path.push(key);
    if (sub.t === 'leaf') {
      const p = leafProblem(v, sub.go);
      if (p) {
        // encoding/json names a map's or list's field, not the key or index; the position and OpenAPI's path do.
        const at = p[3] === undefined ? [...path] : [...path, p[3]];
        report.mistyped(at, say === goTypeMessage ? goTypeMessage(p[2], p[0], schema.name, path, p[1]) : say(p[2], p[0], schema.name, at, p[1]));
      }
    } else if (sub.t === 'struct') {
      if (isPlainObject(v)) walk(v, sub, path, report, say);
      else report.mistyped([...path], say(v, jsonKind(v), schema.name, path, sub.go));
    } else if (!Array.isArray(v)) {
      report.mistyped([...path], say(v, jsonKind(v), schema.name, path, `[]${sub.of.go}`));
    } else {
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        if (item === null) continue;
        path.push(i);
        if (isPlainObject(item)) walk(item, sub.of, path, report, say);
        else report.mistyped([...path], say(item, jsonKind(item), schema.name, path, sub.of.go));
        path.pop();
      }
    }
    path.pop();
  }
}
