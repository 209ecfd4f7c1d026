/**
 * The API objects kubectl receives, built from the engine's records: what `-o json|yaml|
 * jsonpath` print and what `describe` reads. Shapes follow the v1 API as a kubeadm cluster
 * returns them (defaulted fields included: dnsPolicy, schedulerName, tolerations...).
 * Ids that a real cluster makes at random (image digests, sandbox ids) are hashes of stable
 * inputs, so output is the same on every run.
 */
import { formatIpv4 } from '../../addressing/ipv4';
import type { Cluster, ContainerSpec, NamespaceRec, NodeRec, ObjectMeta, PodRec } from '../../model/cluster';
import { sha256Hex } from '../../util/hash';
import { createdAt, rfc3339 } from '../time';
import type { Json } from './output';

/** Seconds between a pod's creation and its containers starting (image pulled, sandbox up). */
export const POD_START_DELAY = 2;

export function podIp(cluster: Cluster, pod: PodRec): string | undefined {
  if (pod.hostNetwork) {
    const node = cluster.nodes.find((n) => n.meta.name === pod.nodeName);
    return node ? formatIpv4(node.ip) : undefined;
  }
  return pod.attachment ? formatIpv4(pod.attachment.ip) : undefined;
}

/** Full image reference as the runtime reports it (`docker.io/library/busybox:1.36`). */
export function fullImage(image: string): string {
  let ref = image;
  if (!/:[^/]+$/.test(ref) && !ref.includes('@')) ref += ':latest';
  const first = ref.split('/')[0];
  if (!ref.includes('/')) return `docker.io/library/${ref}`;
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return `docker.io/${ref}`;
  return ref;
}

export function imageDigest(image: string): string {
  return `sha256:${sha256Hex(`image:${fullImage(image)}`)}`;
}

export function imageId(image: string): string {
  return `${fullImage(image).replace(/:[^:/]+$/, '')}@${imageDigest(image)}`;
}

/** Container id of the i-th container (the first is the pod's recorded id). */
export function containerIdOf(pod: PodRec, i: number): string {
  return i === 0 ? pod.containerId : sha256Hex(`${pod.containerId}/${pod.containers[i].name}`);
}

/** The pod sandbox (pause container) id, as `crictl pods` shows it. */
export function sandboxIdOf(pod: PodRec): string {
  return sha256Hex(`sandbox:${pod.meta.uid}`);
}

export function metaJson(meta: ObjectMeta, extra: Record<string, Json> = {}): Json {
  const m: Record<string, Json> = {
    creationTimestamp: rfc3339(createdAt(meta)),
    name: meta.name,
    resourceVersion: String(1000 + (parseInt(sha256Hex(meta.uid).slice(0, 6), 16) % 9000)),
    uid: meta.uid,
    ...extra,
  };
  if (meta.namespace) m.namespace = meta.namespace;
  if (Object.keys(meta.labels).length) m.labels = { ...meta.labels };
  if (Object.keys(meta.annotations).length) m.annotations = { ...meta.annotations };
  if (meta.ownerReferences?.length) m.ownerReferences = meta.ownerReferences.map((o) => ({ blockOwnerDeletion: true, controller: o.controller ?? true, ...o }));
  return m;
}

/** `kube-api-access-xxxxx`: the projected service-account volume every pod gets. */
export function apiAccessVolume(pod: PodRec): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const h = sha256Hex(`kube-api-access:${pod.meta.uid}`);
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[parseInt(h.slice(i * 2, i * 2 + 2), 16) % alphabet.length];
  return `kube-api-access-${s}`;
}

function containerJson(pod: PodRec, c: ContainerSpec): Json {
  const j: Record<string, Json> = {
    image: c.image,
    imagePullPolicy: /:latest$|^[^:]+$/.test(c.image) ? 'Always' : 'IfNotPresent',
    name: c.name,
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: apiAccessVolume(pod), readOnly: true }],
  };
  if (c.command?.length) j.command = [...c.command];
  if (c.args?.length) j.args = [...c.args];
  if (c.ports.length) j.ports = c.ports.map((p) => ({ containerPort: p.containerPort, ...(p.name ? { name: p.name } : {}), protocol: p.protocol }));
  return j;
}

export function podJson(cluster: Cluster, pod: PodRec): Json {
  const created = createdAt(pod.meta);
  const started = rfc3339(created + POD_START_DELAY);
  const ip = podIp(cluster, pod);
  const node = cluster.nodes.find((n) => n.meta.name === pod.nodeName);
  const running = pod.phase === 'Running';
  const cond = (type: string, status: boolean, t = created + (type === 'PodScheduled' ? 0 : POD_START_DELAY)) => ({
    lastProbeTime: null,
    lastTransitionTime: rfc3339(t),
    status: status ? 'True' : 'False',
    type,
  });
  const spec: Record<string, Json> = {
    containers: pod.containers.map((c) => containerJson(pod, c)),
    dnsPolicy: pod.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
    enableServiceLinks: true,
    nodeName: pod.nodeName,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    restartPolicy: pod.restartPolicy ?? 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    serviceAccount: 'default',
    serviceAccountName: 'default',
    terminationGracePeriodSeconds: 30,
    tolerations: [
      { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
      { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
    ],
    volumes: [
      {
        name: apiAccessVolume(pod),
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
            { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
          ],
        },
      },
    ],
  };
  if (pod.hostNetwork) spec.hostNetwork = true;
  if (pod.hostname) spec.hostname = pod.hostname;
  if (pod.subdomain) spec.subdomain = pod.subdomain;
  if (!pod.nodeName) delete spec.nodeName;
  // A pod the scheduler could not place has one condition, PodScheduled=False with the
  // scheduler's reason and message, and no container statuses yet (pkg/scheduler
  // schedule_one.go handleSchedulingFailure updates the condition).
  if (!pod.nodeName) {
    const unscheduled: Json = { ...cond('PodScheduled', false), ...(pod.status?.message ? { message: pod.status.message } : {}), reason: pod.status?.reason ?? 'Unschedulable' };
    return { apiVersion: 'v1', kind: 'Pod', metadata: metaJson(pod.meta), spec, status: { conditions: [unscheduled], phase: pod.phase, qosClass: 'BestEffort' } };
  }
  const status: Record<string, Json> = {
    conditions: [
      cond('PodReadyToStartContainers', running),
      cond('Initialized', true),
      cond('Ready', pod.ready),
      cond('ContainersReady', pod.ready),
      cond('PodScheduled', true),
    ],
    containerStatuses: pod.containers.map((c, i): Json => ({
      containerID: `containerd://${containerIdOf(pod, i)}`,
      image: fullImage(c.image),
      imageID: imageId(c.image),
      lastState: {},
      name: c.name,
      ready: pod.ready,
      restartCount: 0,
      started: running,
      state: running ? { running: { startedAt: started } } : { waiting: { reason: 'ContainerCreating' } },
    })),
    phase: pod.phase,
    qosClass: 'BestEffort',
    startTime: rfc3339(created),
  };
  // Rejected at admission (OutOfpods): kubelet sets the pod's own reason and message.
  if (pod.phase === 'Failed' && pod.status) {
    if (pod.status.message) status.message = pod.status.message;
    if (pod.status.reason) status.reason = pod.status.reason;
  }
  if (node) {
    status.hostIP = formatIpv4(node.ip);
    status.hostIPs = [{ ip: formatIpv4(node.ip) }];
  }
  if (ip) {
    status.podIP = ip;
    status.podIPs = [{ ip }];
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata: metaJson(pod.meta), spec, status };
}

/** Labels the kubelet and kubeadm put on every node, under the scenario's own. */
export function nodeLabels(node: NodeRec): Record<string, string> {
  const base: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': node.meta.name,
    'kubernetes.io/os': 'linux',
  };
  if (node.role === 'control-plane') {
    base['node-role.kubernetes.io/control-plane'] = '';
    base['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return { ...base, ...node.meta.labels };
}

/** `control-plane` / `<none>`: the ROLES column (node-role.kubernetes.io/* labels). */
export function nodeRoles(node: NodeRec): string {
  const roles: string[] = [];
  for (const [k, v] of Object.entries(nodeLabels(node))) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.push(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.push(v);
  }
  return roles.length ? [...new Set(roles)].sort().join(',') : '<none>';
}

export const NODE_CAPACITY = { cpu: '2', 'ephemeral-storage': '40470732Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '4009832Ki' };
export const NODE_ALLOCATABLE = { cpu: '2', 'ephemeral-storage': '37297826550', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '3907432Ki' };

export function nodeJson(cluster: Cluster, node: NodeRec): Json {
  const created = createdAt(node.meta);
  const cond = (type: string, status: string, reason: string, message: string) => ({
    lastHeartbeatTime: rfc3339(Math.max(created, cluster.now - 30)),
    lastTransitionTime: rfc3339(created + (type === 'Ready' ? 20 : 0)),
    message,
    reason,
    status,
    type,
  });
  const spec: Record<string, Json> = {};
  if (node.podCIDR) {
    spec.podCIDR = node.podCIDR.toString();
    spec.podCIDRs = [node.podCIDR.toString()];
  }
  if (node.taints?.length) spec.taints = node.taints.map((t) => ({ effect: t.effect, key: t.key, ...(t.value ? { value: t.value } : {}) }));
  if (node.unschedulable) spec.unschedulable = true;
  const h = sha256Hex(`node:${node.meta.uid}`);
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: metaJson({ ...node.meta, labels: nodeLabels(node) }, { annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock', 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true', ...node.meta.annotations } }),
    spec,
    status: {
      addresses: [
        { address: formatIpv4(node.ip), type: 'InternalIP' },
        { address: node.meta.name, type: 'Hostname' },
      ],
      allocatable: { ...NODE_ALLOCATABLE, pods: String(node.capacityPods) },
      capacity: { ...NODE_CAPACITY, pods: String(node.capacityPods) },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: uuid,
        containerRuntimeVersion: node.containerRuntime,
        kernelVersion: node.kernelVersion,
        kubeProxyVersion: cluster.config.kubernetesVersion,
        kubeletVersion: cluster.config.kubernetesVersion,
        machineID: h.slice(32, 64),
        operatingSystem: 'linux',
        osImage: node.osImage,
        systemUUID: uuid,
      },
    },
  };
}

export function namespaceJson(ns: NamespaceRec): Json {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: metaJson({ ...ns.meta, labels: { 'kubernetes.io/metadata.name': ns.meta.name, ...ns.meta.labels } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** `kind: List` as kubectl prints several objects. */
export function listJson(items: Json[]): Json {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}
