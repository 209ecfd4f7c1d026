/**
 * Deterministic generator of a large scenario file for the benchmark: Node manifests, Namespaces,
 * Deployments and Pod manifests with realistic field content (labels, annotations, images, ports,
 * resources, probes), as a cluster dump would hold them.
 *
 * Invariants: the same options give the same bytes; the pods the engine will hold (system pods
 * included) add up to `totalPods`; no node is asked to hold more than its 110-pod capacity (pinned
 * pods are spread round-robin, the rest is left to the scheduler); the text lands near
 * `targetBytes` by choosing how many pods are written out as Pod manifests and how many come
 * from Deployments.
 *
 * Kubernetes' published limits (kubernetes.io/docs/setup/best-practices/cluster-large/): at most
 * 5,000 nodes, 150,000 pods in total, 110 pods per node.
 */

export interface GenerateOptions {
  nodes: number;
  /** Pods the loaded cluster should hold, system pods included. */
  totalPods: number;
  /** Size the YAML text should land near. */
  targetBytes: number;
  /** System pods the engine adds per node (kube-proxy + the CNI's DaemonSet pod) and in total (CoreDNS, control-plane static pods). */
  systemPodsPerNode?: number;
  systemPodsFixed?: number;
  cni?: string;
  seed?: number;
}

export interface GeneratedCluster {
  text: string;
  nodes: number;
  namespaces: number;
  deployments: number;
  deploymentReplicas: number;
  podManifests: number;
  /** Pods the engine is expected to hold once system pods are added. */
  expectedPods: number;
}

/** mulberry32, local to the generator so the benchmark input never depends on engine internals. */
function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const INSTANCE_TYPES = ['m5.2xlarge', 'm5.4xlarge', 'c5.4xlarge', 'r5.2xlarge'];
const TEAMS = ['payments', 'checkout', 'search', 'catalog', 'identity', 'ledger', 'ads', 'media', 'notify', 'ml-serving'];
const APPS = ['api', 'worker', 'frontend', 'cache', 'gateway', 'indexer', 'scheduler', 'consumer'];
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function nodeName(i: number): string {
  return `node-${pad(i, 5)}`;
}

function nodeManifest(i: number): string {
  const name = nodeName(i);
  const zone = ZONES[i % ZONES.length];
  const type = INSTANCE_TYPES[i % INSTANCE_TYPES.length];
  const role = i === 0 ? '\n    node-role.kubernetes.io/control-plane: ""' : '';
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
    beta.kubernetes.io/arch: amd64
    beta.kubernetes.io/instance-type: ${type}
    beta.kubernetes.io/os: linux
    failure-domain.beta.kubernetes.io/region: us-east-1
    failure-domain.beta.kubernetes.io/zone: ${zone}
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: ${name}
    kubernetes.io/os: linux
    node.kubernetes.io/instance-type: ${type}
    topology.kubernetes.io/region: us-east-1
    topology.kubernetes.io/zone: ${zone}${role}
  annotations:
    kubeadm.alpha.kubernetes.io/cri-socket: unix:///var/run/containerd/containerd.sock
    node.alpha.kubernetes.io/ttl: "0"
    volumes.kubernetes.io/controller-managed-attach-detach: "true"
`;
}

function namespaceManifest(team: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${team}
  labels:
    kubernetes.io/metadata.name: ${team}
    team: ${team}
`;
}

function containerBlock(indent: string, team: string, app: string, version: string, port: number): string {
  const i = indent;
  return `${i}- name: ${app}
${i}  image: registry.example.com/${team}/${app}:${version}
${i}  args: [--port=${port}, --log-level=info]
${i}  ports:
${i}  - {name: http, containerPort: ${port}, protocol: TCP}
${i}  - {name: metrics, containerPort: 9090, protocol: TCP}
${i}  resources:
${i}    requests: {cpu: 100m, memory: 128Mi}
${i}    limits: {cpu: 500m, memory: 512Mi}
${i}  readinessProbe:
${i}    httpGet: {path: /healthz, port: http}
${i}    periodSeconds: 10
`;
}

function deploymentManifest(team: string, app: string, n: number, replicas: number, version: string): string {
  const name = `${app}-${n}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${team}
  labels: {app: ${name}, team: ${team}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}, team: ${team}, version: "${version}"}
    spec:
      containers:
${containerBlock('      ', team, app, version, 8080)}`;
}

function podManifest(name: string, team: string, app: string, version: string, nodeName: string | null): string {
  const pin = nodeName ? `  nodeName: ${nodeName}\n` : '';
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${team}
  labels: {app: ${app}, team: ${team}, version: "${version}"}
  annotations:
    prometheus.io/scrape: "true"
    prometheus.io/port: "9090"
spec:
${pin}  containers:
${containerBlock('  ', team, app, version, 8080)}  restartPolicy: Always
`;
}

/**
 * Generate the scenario text. Deployments hold `deploymentShare` of the user pods' worth in
 * replicas; how many Pod manifests are written out is chosen so the text lands near `targetBytes`.
 */
export function generateCluster(opts: GenerateOptions): GeneratedCluster {
  // The first pass estimates sizes from a sample manifest; the second corrects by the measured miss.
  const first = generateWith(opts, 0);
  const miss = opts.targetBytes - first.text.length;
  if (first.podManifests === 0 || Math.abs(miss) < opts.targetBytes * 0.005) return first;
  const perPod = first.podBytes / first.podManifests;
  return generateWith(opts, Math.round(miss / perPod));
}

function generateWith(opts: GenerateOptions, podAdjust: number): GeneratedCluster & { podBytes: number } {
  const rand = rng(opts.seed ?? 1);
  const perNode = opts.systemPodsPerNode ?? 2;
  // CoreDNS (2 replicas) and the four static pods of the control-plane node (etcd, kube-apiserver, kube-controller-manager, kube-scheduler).
  const fixed = opts.systemPodsFixed ?? 6;
  const userPods = opts.totalPods - perNode * opts.nodes - fixed;
  if (userPods < 0) throw new Error(`totalPods ${opts.totalPods} is below the system pods of ${opts.nodes} nodes`);
  const parts: string[] = [];
  let bytes = 0;
  const push = (doc: string) => {
    parts.push(doc);
    bytes += doc.length + 4; // "---\n"
  };

  const cni = opts.cni ?? 'flannel';
  // A /9 holds 32,768 node /24s; 10.128.0.0/9 stays clear of the 10.96.0.0/12 Service range.
  push(`# podpath benchmark cluster: ${opts.nodes} nodes, ${opts.totalPods} pods (generated by bench/generateCluster.ts)
apiVersion: podpath/v1alpha1
kind: Cluster
metadata:
  name: bench
spec:
  cni: ${cni}
  kubeProxy: iptables
  podCIDR: 10.128.0.0/9
  nodeCIDRMaskSize: 24
  serviceCIDR: 10.96.0.0/12
  nodeNetwork: 172.16.0.0/16
  clusterDomain: cluster.local
`);
  for (const team of TEAMS) push(namespaceManifest(team));
  for (let i = 0; i < opts.nodes; i++) push(nodeManifest(i));

  // Estimate a Pod manifest's size to decide how many to write out.
  const samplePod = podManifest('frontend-00000-abcde', 'ml-serving', 'frontend', '1.12.3', nodeName(opts.nodes - 1)).length + 4;
  const sampleDeployment = deploymentManifest('ml-serving', 'frontend', 999, 99, '1.12.3').length + 4;
  const deploymentCount = Math.max(1, Math.round(userPods / 60));
  const room = opts.targetBytes - bytes - deploymentCount * sampleDeployment;
  // Deployments need at least one replica each; the rest of the budget goes to Pod manifests.
  const podManifests = Math.max(0, Math.min(userPods - deploymentCount, Math.floor(room / samplePod) + podAdjust));
  const replicasTotal = userPods - podManifests;

  const versionOf = () => `1.${Math.floor(rand() * 20)}.${Math.floor(rand() * 10)}`;
  const base = Math.floor(replicasTotal / deploymentCount);
  let extra = replicasTotal - base * deploymentCount;
  for (let d = 0; d < deploymentCount; d++) {
    const team = TEAMS[d % TEAMS.length];
    const app = APPS[Math.floor(d / TEAMS.length) % APPS.length];
    const replicas = base + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    push(deploymentManifest(team, app, d, replicas, versionOf()));
  }
  let podBytes = 0;
  for (let p = 0; p < podManifests; p++) {
    const team = TEAMS[p % TEAMS.length];
    const app = APPS[Math.floor(p / TEAMS.length) % APPS.length];
    let suffix = '';
    for (let k = 0; k < 5; k++) suffix += NAME_ALPHABET[Math.floor(rand() * NAME_ALPHABET.length)];
    // Half the Pods arrive scheduled (as in a dump), spread round-robin so no node nears 110.
    const pinned = p % 2 === 0 ? nodeName((p / 2) % opts.nodes) : null;
    const before = bytes;
    push(podManifest(`${app}-${pad(p, 6)}-${suffix}`, team, app, versionOf(), pinned));
    podBytes += bytes - before;
  }
  return {
    text: parts.join('---\n'),
    nodes: opts.nodes,
    namespaces: TEAMS.length,
    deployments: deploymentCount,
    deploymentReplicas: replicasTotal,
    podManifests,
    expectedPods: opts.totalPods,
    podBytes,
  };
}
