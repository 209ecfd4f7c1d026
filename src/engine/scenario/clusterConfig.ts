/**
 * The optional `apiVersion: podpath/v1alpha1, kind: Cluster` document: defaults, field
 * validation, and the nodes it declares. Field types were checked by the decoder (schema.ts):
 * a document with a mistyped field never gets here. Checks that need the nodes and Services of the whole
 * scenario (addresses inside their ranges) live in checkAddresses.ts.
 */
import { Cidr, parseIpv4 } from '../addressing/ipv4';
import { CNI_MODES, KUBE_PROXY_MODES, type ClusterConfig, type CniMode, type NodeRole } from '../model/cluster';
import { dns1123Subdomain, invalid, required, unsupported } from './messages';
import { isPlainObject, type RawObject } from './parseFiles';
import type { ObjectPlace, Problems } from './problems';
import { DEFAULT_MAX_PODS, INVALID_CIDR, INVALID_IP } from './readManifests';
import { newMeta } from './meta';
import { kubeadmTaints } from './nodeFit';
import { applyGkeDefaults, GKE_MAX_PODS_RANGE, isGke } from './gkeRanges';
import type { NodeDecl } from './types';
import { AZURE_NETWORK_POLICIES, aksMaxPods, applyAksDefaults, isAzure } from './azureConfig';

export const DEFAULTS: ClusterConfig = {
  name: 'kubernetes',
  cni: 'flannel',
  kubeProxy: 'iptables',
  podCIDR: Cidr.parse('10.244.0.0/16')!,
  nodeCIDRMaskSize: 24,
  serviceCIDR: Cidr.parse('10.96.0.0/12')!,
  nodeNetwork: Cidr.parse('192.168.1.0/24')!,
  clusterDomain: 'cluster.local',
  wireguard: false,
  nodeMtu: 1500,
  seed: 1,
  kubernetesVersion: 'v1.31.0',
};

/** EC2 instances' ENIs use jumbo frames (AWS_VPC_ENI_MTU default 9001). */
export const AWS_NODE_MTU = 9001;

export type ConfigField = keyof ClusterConfig;

export interface ConfigDoc {
  config: ClusterConfig;
  /** Fields the document set explicitly (the others may be inferred from a dump). */
  explicit: Set<ConfigField>;
  nodes: NodeDecl[];
  place?: ObjectPlace;
  /** `spec.nodeSysctls`: per-node settings changed at run time (`sysctl -w` on a node), node → key → value. */
  nodeSysctls?: Record<string, Record<string, string>>;
  /** `spec.linkMtus`: device MTUs set at run time, by netns id and device (Cluster.linkMtus). */
  linkMtus?: Record<string, Record<string, number>>;
}

/** Node capacity in the Cluster document: a number of pods, or `{pods: n}` like status.capacity. */
function capacityOf(value: unknown): number | undefined {
  const v = isPlainObject(value) ? value.pods : value;
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The labels kubelet and kubeadm put on a node (kubectl get nodes --show-labels on a kubeadm cluster). */
export function kubeletLabels(name: string, role: NodeRole): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
  };
  if (role === 'control-plane') {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return labels;
}

/** The nodes of a scenario that declares none: a kubeadm control plane and two workers. */
export function defaultNodes(capacityPods: number = DEFAULT_MAX_PODS): NodeDecl[] {
  return (['control-plane', 'worker-1', 'worker-2'] as const).map((name) => {
    const role: NodeRole = name === 'control-plane' ? 'control-plane' : 'worker';
    const taints = kubeadmTaints(role);
    return { meta: newMeta('Node', name, undefined, 0, kubeletLabels(name, role)), role, capacityPods, ...(taints ? { taints } : {}) };
  });
}

export function defaultConfig(): ConfigDoc {
  return { config: { ...DEFAULTS }, explicit: new Set(), nodes: [] };
}

/**
 * A CIDR in the Cluster document. `api`: a field of an API object (Node.spec.podCIDR, which a
 * Cluster-document node stands for) — the API server's IsValidCIDR message, and canonical form
 * (no host bits; validation.IsValidCIDR). `flag`: a component's command-line range, read as
 * kube-controller-manager reads --cluster-cidr and kube-apiserver --service-cluster-ip-range:
 * netutils.ParseCIDRSloppy, i.e. Go's net.ParseCIDR, which keeps the network and masks the host
 * bits away (`10.244.1.0/16` is 10.244.0.0/16; k8s.io/utils/net ParseCIDRs, kube-controller-manager
 * processCIDRs). The node network is such a setting too.
 */
function readCidr(text: string, place: ObjectPlace, path: (string | number)[], problems: Problems, form: 'api' | 'flag'): Cidr | undefined {
  const cidr = Cidr.parse(text);
  if (!cidr) {
    problems.at(place, path, invalid(text, INVALID_CIDR));
    return undefined;
  }
  if (form === 'api' && cidr.toString() !== text) {
    problems.at(place, path, invalid(text, `must be in canonical form (${JSON.stringify(cidr.toString())})`));
    return undefined;
  }
  return cidr;
}

export function readClusterDocs(docs: RawObject[], problems: Problems, options: { seed?: number }): ConfigDoc {
  const result = defaultConfig();
  const { config, explicit } = result;
  docs.forEach((raw, i) => {
    const place = raw.place;
    if (i > 0) {
      problems.at(place, ['kind'], 'only one Cluster document is allowed in a scenario', '');
      return;
    }
    result.place = place;
    const m = isPlainObject(raw.value.metadata) ? raw.value.metadata : {};
    if (typeof m.name === 'string' && m.name) {
      for (const msg of dns1123Subdomain(m.name)) problems.at(place, ['metadata', 'name'], invalid(m.name, msg));
      config.name = m.name;
    }
    const spec = isPlainObject(raw.value.spec) ? raw.value.spec : {};
    const set = <K extends ConfigField>(key: K, value: ClusterConfig[K]) => {
      config[key] = value;
      explicit.add(key);
    };
    const has = (key: string) => spec[key] !== undefined && spec[key] !== null;
    const text = (key: string) => (typeof spec[key] === 'string' ? (spec[key] as string) : undefined);

    if (has('cni')) {
      if (!(CNI_MODES as readonly unknown[]).includes(spec.cni)) problems.at(place, ['spec', 'cni'], unsupported(spec.cni, CNI_MODES));
      else set('cni', spec.cni as CniMode);
    }
    if (has('kubeProxy')) {
      if (!(KUBE_PROXY_MODES as readonly unknown[]).includes(spec.kubeProxy)) problems.at(place, ['spec', 'kubeProxy'], unsupported(spec.kubeProxy, KUBE_PROXY_MODES));
      else set('kubeProxy', spec.kubeProxy as ClusterConfig['kubeProxy']);
    }
    for (const key of ['podCIDR', 'serviceCIDR', 'nodeNetwork'] as const) {
      const t = text(key);
      if (t === undefined) continue;
      const cidr = readCidr(t, place, ['spec', key], problems, 'flag');
      if (cidr) set(key, cidr);
    }
    const intField = (key: 'nodeCIDRMaskSize' | 'nodeMtu' | 'seed', min: number, max: number, detail: string) => {
      const v = spec[key];
      if (typeof v !== 'number') return;
      if (v < min || v > max) problems.at(place, ['spec', key], invalid(v, detail));
      else set(key, v);
    };
    intField('nodeCIDRMaskSize', 1, 32, 'must be between 1 and 32, inclusive');
    // Linux refuses an Ethernet MTU below 68 (IPv4's minimum); 9216 is the largest jumbo frame NICs take.
    intField('nodeMtu', 68, 9216, 'must be between 68 and 9216, inclusive');
    intField('seed', 0, 0xffffffff, 'must be between 0 and 4294967295, inclusive');
    // The underlay's path MTU: an IP packet of at least 68 bytes must pass (RFC 791), jumbo frames at most.
    if (typeof spec.underlayMtu === 'number') {
      if (spec.underlayMtu < 68 || spec.underlayMtu > 9216) problems.at(place, ['spec', 'underlayMtu'], invalid(spec.underlayMtu, 'must be between 68 and 9216, inclusive'));
      else set('underlayMtu', spec.underlayMtu);
    }
    if (has('linkMtus')) result.linkMtus = readLinkMtus(spec.linkMtus, place, problems);
    const d = text('clusterDomain');
    if (d !== undefined) {
      const errs = dns1123Subdomain(d);
      for (const msg of errs) problems.at(place, ['spec', 'clusterDomain'], invalid(d, msg));
      if (!errs.length) set('clusterDomain', d);
    }
    if (typeof spec.wireguard === 'boolean') set('wireguard', spec.wireguard);
    const v = text('kubernetesVersion');
    if (v !== undefined) {
      if (!/^v\d+\.\d+\.\d+$/.test(v)) problems.at(place, ['spec', 'kubernetesVersion'], invalid(v, 'must be a release version such as "v1.31.0"'));
      else set('kubernetesVersion', v);
    }
    if (has('ingressController')) {
      if (spec.ingressController !== 'nginx' && spec.ingressController !== 'none') problems.at(place, ['spec', 'ingressController'], unsupported(spec.ingressController, ['nginx', 'none']));
      else set('ingressController', spec.ingressController);
    }
    if (has('vnetCIDR')) {
      const t = text('vnetCIDR');
      const cidr = t === undefined ? undefined : readCidr(t, place, ['spec', 'vnetCIDR'], problems, 'flag');
      if (t === undefined) problems.at(place, ['spec', 'vnetCIDR'], invalid(spec.vnetCIDR, INVALID_CIDR));
      if (cidr) config.vnetCIDR = cidr;
    }
    if (has('maxPodsPerNode') && typeof spec.maxPodsPerNode === 'number') {
      const [lo, hi] = GKE_MAX_PODS_RANGE;
      if (spec.maxPodsPerNode < lo || spec.maxPodsPerNode > hi) problems.at(place, ['spec', 'maxPodsPerNode'], invalid(spec.maxPodsPerNode, `must be between ${lo} and ${hi}, inclusive`));
      else set('maxPodsPerNode', spec.maxPodsPerNode);
    }
    if (has('networkPolicy')) {
      // AKS --network-policy none | azure | calico; GKE's add-on is Calico only.
      const allowed: readonly string[] = isAzure(config.cni) ? AZURE_NETWORK_POLICIES : ['calico'];
      if (!allowed.includes(spec.networkPolicy as string)) problems.at(place, ['spec', 'networkPolicy'], unsupported(spec.networkPolicy, allowed));
      else if (spec.networkPolicy !== 'none') set('networkPolicy', spec.networkPolicy as 'calico' | 'azure');
    }
    if (Array.isArray(spec.peerings)) {
      const peerings: { name: string; cidr: Cidr }[] = [];
      spec.peerings.forEach((p, j) => {
        if (!isPlainObject(p)) return;
        if (typeof p.name !== 'string' || !p.name) problems.at(place, ['spec', 'peerings', j, 'name'], required());
        if (typeof p.cidr !== 'string') problems.at(place, ['spec', 'peerings', j, 'cidr'], required());
        const c = typeof p.cidr === 'string' ? readCidr(p.cidr, place, ['spec', 'peerings', j, 'cidr'], problems, 'flag') : undefined;
        if (c && typeof p.name === 'string' && p.name) peerings.push({ name: p.name, cidr: c });
      });
      set('peerings', peerings);
    }
    if (has('nodeSysctls')) {
      const sysctls = readNodeSysctls(spec.nodeSysctls, place, problems);
      if (sysctls) result.nodeSysctls = sysctls;
    }
    if (Array.isArray(spec.nodes)) {
      spec.nodes.forEach((n, j) => {
        const decl = readClusterNode(n, place, j, problems);
        if (decl) {
          // AKS nodes run kubelet with --max-pods 30 (Azure CNI) or 250 (overlay) unless the document says.
          const maxPods = aksMaxPods(config.cni);
          if (maxPods !== undefined && (!isPlainObject(n) || n.capacity === undefined || n.capacity === null)) decl.capacityPods = maxPods;
          result.nodes.push(decl);
        }
      });
    }
  });
  if (config.wireguard && !config.cni.startsWith('calico') && !config.cni.startsWith('cilium') && result.place) {
    problems.at(result.place, ['spec', 'wireguard'], invalid(true, `WireGuard encryption is available with calico* and cilium* only, not ${config.cni}`));
  }
  if (!explicit.has('nodeMtu') && config.cni === 'aws-vpc') config.nodeMtu = AWS_NODE_MTU;
  applyAksDefaults(config, explicit);
  if (config.vnetCIDR && !isAzure(config.cni) && result.place) {
    problems.at(result.place, ['spec', 'vnetCIDR'], invalid(config.vnetCIDR.toString(), `applies to azure-cni and azure-cni-overlay only, not ${config.cni}`));
  }
  applyGkeDefaults(config, explicit);
  if (result.place && (explicit.has('maxPodsPerNode') || explicit.has('peerings')) && !isGke(config.cni)) {
    problems.at(result.place, ['spec', explicit.has('maxPodsPerNode') ? 'maxPodsPerNode' : 'peerings'], invalid(explicit.has('maxPodsPerNode') ? config.maxPodsPerNode : 'peerings', `is a GKE setting: it needs spec.cni gke or gke-dataplane-v2, not ${config.cni}`));
  }
  if (result.place && config.cni === 'gke-dataplane-v2' && config.kubeProxy !== 'none') {
    problems.at(result.place, ['spec', 'kubeProxy'], invalid(config.kubeProxy, 'GKE Dataplane V2 has no kube-proxy: Services are translated by its eBPF dataplane (use none)'));
  }
  if (result.place && config.networkPolicy && config.cni !== 'gke' && !isAzure(config.cni)) {
    problems.at(result.place, ['spec', 'networkPolicy'], invalid('calico', config.cni === 'gke-dataplane-v2' ? 'GKE Dataplane V2 enforces NetworkPolicy itself: Calico network policy is for the legacy datapath (cni: gke)' : `is GKE's network policy add-on: it needs spec.cni gke, not ${config.cni}`));
  }
  if (options.seed !== undefined) config.seed = options.seed;
  return result;
}

/**
 * A sysctl key as `sysctl -w` writes it (dots; `net.bridge.bridge-nf-call-iptables`), or a sysfs
 * file the shell sets (`/sys/class/net/DEV/brport/hairpin_mode`, written by `bridge link set`).
 */
const SYSCTL_KEY = /^([a-z0-9_-]+(\.[A-Za-z0-9_@:-]+)+|\/sys\/class\/net\/[^/\s]+\/brport\/hairpin_mode)$/;

/**
 * `spec.nodeSysctls: {NODE: {KEY: VALUE}}`. Values are strings as /proc/sys holds them; a YAML
 * number or boolean is read as its text (`0`, `1`). Node names are checked against the
 * scenario's nodes by the loader.
 */
function readNodeSysctls(value: unknown, place: ObjectPlace, problems: Problems): Record<string, Record<string, string>> | undefined {
  if (!isPlainObject(value)) {
    problems.at(place, ['spec', 'nodeSysctls'], invalid(value, 'must be a map of node name to a map of sysctl key to value'));
    return undefined;
  }
  const out: Record<string, Record<string, string>> = {};
  for (const [node, keys] of Object.entries(value)) {
    const at = ['spec', 'nodeSysctls', node];
    for (const msg of dns1123Subdomain(node)) problems.at(place, at, invalid(node, msg));
    if (!isPlainObject(keys)) {
      problems.at(place, at, invalid(keys, 'must be a map of sysctl key to value'));
      continue;
    }
    const row: Record<string, string> = {};
    for (const [key, v] of Object.entries(keys)) {
      if (!SYSCTL_KEY.test(key)) problems.at(place, [...at, key], invalid(key, 'must be a sysctl key such as "net.bridge.bridge-nf-call-iptables"'));
      else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') row[key] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
      else problems.at(place, [...at, key], invalid(v, 'must be a string or a number'));
    }
    out[node] = row;
  }
  return out;
}

/**
 * `spec.linkMtus: {NETNS: {DEV: MTU}}`, NETNS a namespace id (`node/worker-1`, `pod/default/client`).
 * An MTU is what `ip link set mtu` accepts on an Ethernet device: 68 (ETH_MIN_MTU) up to 65535
 * (a veth's max_mtu, drivers/net/veth.c; larger NICs refuse it themselves).
 */
function readLinkMtus(value: unknown, place: ObjectPlace, problems: Problems): Record<string, Record<string, number>> | undefined {
  if (!isPlainObject(value)) {
    problems.at(place, ['spec', 'linkMtus'], invalid(value, 'must be a map of network namespace (node/NAME or pod/NAMESPACE/NAME) to {device: mtu}'));
    return undefined;
  }
  const out: Record<string, Record<string, number>> = {};
  for (const [ns, devs] of Object.entries(value)) {
    if (!/^(node\/[^/]+|pod\/[^/]+\/[^/]+)$/.test(ns) || !isPlainObject(devs)) {
      problems.at(place, ['spec', 'linkMtus', ns], invalid(ns, 'must be node/NAME or pod/NAMESPACE/NAME mapped to {device: mtu}'));
      continue;
    }
    for (const [dev, mtu] of Object.entries(devs)) {
      if (typeof mtu !== 'number' || !Number.isInteger(mtu) || mtu < 68 || mtu > 65535) {
        problems.at(place, ['spec', 'linkMtus', ns, dev], invalid(mtu, 'must be between 68 and 65535, inclusive'));
        continue;
      }
      (out[ns] ??= {})[dev] = mtu;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

function readClusterNode(n: unknown, place: ObjectPlace, j: number, problems: Problems): NodeDecl | undefined {
  const at = ['spec', 'nodes', j];
  if (!isPlainObject(n)) return undefined;
  if (typeof n.name !== 'string' || n.name === '') {
    problems.at(place, [...at, 'name'], required());
    return undefined;
  }
  const name = n.name;
  const errs = dns1123Subdomain(name);
  for (const msg of errs) problems.at(place, [...at, 'name'], invalid(name, msg));
  let role: NodeRole = 'worker';
  if (n.role !== undefined && n.role !== null) {
    if (n.role !== 'control-plane' && n.role !== 'worker') problems.at(place, [...at, 'role'], unsupported(n.role, ['control-plane', 'worker']));
    else role = n.role;
  }
  const meta = newMeta('Node', name, undefined, 0, kubeletLabels(name, role));
  const decl: NodeDecl = { meta, role, capacityPods: DEFAULT_MAX_PODS, source: { file: place.file, doc: place.doc, path: [...place.base, ...at] } };
  // podpath makes this node itself, as kubeadm would: a control plane gets kubeadm's taint.
  const taints = kubeadmTaints(role);
  if (taints) decl.taints = taints;
  if (typeof n.ip === 'string') {
    const ip = parseIpv4(n.ip);
    if (ip === null) problems.at(place, [...at, 'ip'], invalid(n.ip, INVALID_IP));
    else decl.ip = ip;
  }
  if (typeof n.podCIDR === 'string') {
    const cidr = readCidr(n.podCIDR, place, [...at, 'podCIDR'], problems, 'api');
    if (cidr) decl.podCIDR = cidr;
  }
  if (n.capacity !== undefined && n.capacity !== null) {
    const cap = capacityOf(n.capacity);
    if (cap === undefined) problems.at(place, [...at, 'capacity'], invalid(n.capacity, 'must be a non-negative number of pods'));
    else decl.capacityPods = cap;
  }
  return errs.length ? undefined : decl;
}
