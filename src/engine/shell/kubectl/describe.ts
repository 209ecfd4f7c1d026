/**
 * `kubectl describe pod|node|namespace` in kubectl's layout (pkg/describe/describe.go): a
 * PrefixWriter over one tabwriter (minwidth 0, padding 2), so fields align per block of
 * consecutive tabbed lines exactly as kubectl's do. Requests/limits are all zero: the engine
 * models no resource requests.
 */
import type { Cluster, NodeRec, PodRec } from '../../model/cluster';
import { DESCRIBE_TABS, tabwrite } from '../tabwriter';
import { age, createdAt, rfc1123z } from '../time';
import { sha256Hex } from '../../util/hash';
import { apiAccessVolume, containerIdOf, imageId, nodeLabels, nodeRoles, NODE_ALLOCATABLE, NODE_CAPACITY, podIp, POD_START_DELAY } from './objects';

const L1 = '  ';
const L2 = '    ';
const L3 = '      ';

/** `Labels:` / `Annotations:` blocks: first on the field line, the rest indented under it. */
function mapLines(title: string, m: Record<string, string>, sep: string): string[] {
  const keys = Object.keys(m).sort();
  if (!keys.length) return [`${title}\t<none>`];
  return keys.map((k, i) => `${i === 0 ? title : ''}\t${k}${sep}${m[k]}`);
}

export function describePod(cluster: Cluster, pod: PodRec): string {
  const ip = podIp(cluster, pod);
  const node = cluster.nodes.find((n) => n.meta.name === pod.nodeName);
  const created = createdAt(pod.meta);
  const l: string[] = [
    `Name:\t${pod.meta.name}`,
    `Namespace:\t${pod.meta.namespace ?? 'default'}`,
    'Priority:\t0',
    'Service Account:\tdefault',
    `Node:\t${pod.nodeName}${node ? `/${ipText(node.ip)}` : ''}`,
    `Start Time:\t${rfc1123z(created)}`,
    ...mapLines('Labels:', pod.meta.labels, '='),
    ...mapLines('Annotations:', pod.meta.annotations, ': '),
    `Status:\t${pod.phase}`,
    `IP:\t${ip ?? ''}`,
    'IPs:',
  ];
  if (ip) l.push(`${L1}IP:\t${ip}`);
  else l[l.length - 1] = 'IPs:\t<none>';
  const owner = pod.meta.ownerReferences?.find((o) => o.controller !== false);
  if (owner) l.push(`Controlled By:\t${owner.kind}/${owner.name}`);
  l.push('Containers:');
  pod.containers.forEach((c, i) => {
    l.push(`${L1}${c.name}:`);
    l.push(`${L2}Container ID:\tcontainerd://${containerIdOf(pod, i)}`);
    l.push(`${L2}Image:\t${c.image}`);
    l.push(`${L2}Image ID:\t${imageId(c.image)}`);
    const port = c.ports[0];
    l.push(`${L2}Port:\t${port ? `${port.containerPort}/${port.protocol}` : '<none>'}`);
    l.push(`${L2}Host Port:\t${port ? `0/${port.protocol}` : '<none>'}`);
    if (c.command?.length) {
      l.push(`${L2}Command:`);
      for (const a of c.command) l.push(`${L3}${a}`);
    }
    if (c.args?.length) {
      l.push(`${L2}Args:`);
      for (const a of c.args) l.push(`${L3}${a}`);
    }
    if (pod.phase === 'Running') {
      l.push(`${L2}State:\tRunning`);
      l.push(`${L3}Started:\t${rfc1123z(created + POD_START_DELAY)}`);
    } else {
      l.push(`${L2}State:\tWaiting`);
      l.push(`${L3}Reason:\tContainerCreating`);
    }
    l.push(`${L2}Ready:\t${pod.ready ? 'True' : 'False'}`);
    l.push(`${L2}Restart Count:\t0`);
    l.push(`${L2}Environment:\t<none>`);
    l.push(`${L2}Mounts:`);
    l.push(`${L3}/var/run/secrets/kubernetes.io/serviceaccount from ${apiAccessVolume(pod)} (ro)`);
  });
  const running = pod.phase === 'Running';
  l.push('Conditions:');
  l.push(`${L1}Type\tStatus`);
  for (const [t, s] of [
    ['PodReadyToStartContainers', running],
    ['Initialized', true],
    ['Ready', pod.ready],
    ['ContainersReady', pod.ready],
    ['PodScheduled', true],
  ] as [string, boolean][])
    l.push(`${L1}${t} \t${s ? 'True' : 'False'} `);
  l.push('Volumes:');
  l.push(`${L1}${apiAccessVolume(pod)}:`);
  l.push(`${L2}Type:\tProjected (a volume that contains injected data from multiple sources)`);
  l.push(`${L2}TokenExpirationSeconds:\t3607`);
  l.push(`${L2}ConfigMapName:\tkube-root-ca.crt`);
  l.push(`${L2}ConfigMapOptional:\t<nil>`);
  l.push(`${L2}DownwardAPI:\ttrue`);
  l.push('QoS Class:\tBestEffort');
  l.push('Node-Selectors:\t<none>');
  l.push('Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s');
  l.push('\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s');
  l.push('Events:\t<none>');
  return tabwrite(l.join('\n') + '\n', DESCRIBE_TABS);
}

export function describeNode(cluster: Cluster, node: NodeRec): string {
  const created = createdAt(node.meta);
  const annotations = {
    'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
    'node.alpha.kubernetes.io/ttl': '0',
    'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
    ...node.meta.annotations,
  };
  const hb = rfc1123z(Math.max(created, cluster.now - 30));
  const tr = rfc1123z(created);
  const l: string[] = [
    `Name:\t${node.meta.name}`,
    `Roles:\t${nodeRoles(node)}`,
    ...mapLines('Labels:', nodeLabels(node), '='),
    ...mapLines('Annotations:', annotations, ': '),
    `CreationTimestamp:\t${rfc1123z(created)}`,
    // describe.go printTaintsMultilineWithIndent: Taint.ToString (key=value:effect) one per line.
    ...(node.taints?.length ? node.taints.map((t, i) => `${i ? '' : 'Taints:'}\t${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`) : ['Taints:\t<none>']),
    `Unschedulable:\t${node.unschedulable ? 'true' : 'false'}`,
    'Lease:',
    `${L1}HolderIdentity:\t${node.meta.name}`,
    `${L1}AcquireTime:\t<unset>`,
    `${L1}RenewTime:\t${rfc1123z(Math.max(created, cluster.now - 5))}`,
    'Conditions:',
    `${L1}Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage`,
    `${L1}----\t------\t-----------------\t------------------\t------\t-------`,
    `${L1}MemoryPressure \tFalse \t${hb} \t${tr} \tKubeletHasSufficientMemory \tkubelet has sufficient memory available`,
    `${L1}DiskPressure \tFalse \t${hb} \t${tr} \tKubeletHasNoDiskPressure \tkubelet has no disk pressure`,
    `${L1}PIDPressure \tFalse \t${hb} \t${tr} \tKubeletHasSufficientPID \tkubelet has sufficient PID available`,
    `${L1}Ready \tTrue \t${hb} \t${rfc1123z(created + 20)} \tKubeletReady \tkubelet is posting ready status`,
    'Addresses:',
    `${L1}InternalIP:\t${ipText(node.ip)}`,
    `${L1}Hostname:\t${node.meta.name}`,
    'Capacity:',
    ...Object.entries({ ...NODE_CAPACITY, pods: String(node.capacityPods) }).map(([k, v]) => `${L1}${k}:\t${v}`),
    'Allocatable:',
    ...Object.entries({ ...NODE_ALLOCATABLE, pods: String(node.capacityPods) }).map(([k, v]) => `${L1}${k}:\t${v}`),
    'System Info:',
  ];
  const h = hashHex(node.meta.uid);
  l.push(
    `${L1}Machine ID:\t${h.slice(0, 32)}`,
    `${L1}System UUID:\t${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
    `${L1}Boot ID:\t${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
    `${L1}Kernel Version:\t${node.kernelVersion}`,
    `${L1}OS Image:\t${node.osImage}`,
    `${L1}Operating System:\tlinux`,
    `${L1}Architecture:\tamd64`,
    `${L1}Container Runtime Version:\t${node.containerRuntime}`,
    `${L1}Kubelet Version:\t${cluster.config.kubernetesVersion}`,
    `${L1}Kube-Proxy Version:\t${cluster.config.kubernetesVersion}`,
  );
  if (node.podCIDR) {
    l.push(`PodCIDR:\t${node.podCIDR.toString()}`);
    l.push(`PodCIDRs:\t${node.podCIDR.toString()}`);
  }
  const pods: PodRec[] = [];
  for (const p of cluster.pods.values()) if (p.nodeName === node.meta.name && (p.phase === 'Running' || p.phase === 'Pending')) pods.push(p);
  pods.sort((a, b) => (a.meta.namespace ?? '').localeCompare(b.meta.namespace ?? '') || a.meta.name.localeCompare(b.meta.name));
  l.push(`Non-terminated Pods:\t(${pods.length} in total)`);
  l.push(`${L1}Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge`);
  l.push(`${L1}---------\t----\t------------\t----------\t---------------\t-------------\t---`);
  for (const p of pods) l.push(`${L1}${p.meta.namespace ?? 'default'}\t${p.meta.name}\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t${age(p.meta, cluster.now)}`);
  l.push('Allocated resources:');
  l.push(`${L1}(Total limits may be over 100 percent, i.e., overcommitted.)`);
  l.push(`${L1}Resource\tRequests\tLimits`);
  l.push(`${L1}--------\t--------\t------`);
  for (const r of ['cpu', 'memory', 'ephemeral-storage', 'hugepages-1Gi', 'hugepages-2Mi']) l.push(`${L1}${r}\t0 (0%)\t0 (0%)`);
  l.push('Events:\t<none>');
  return tabwrite(l.join('\n') + '\n', DESCRIBE_TABS);
}

export function describeNamespace(name: string, labels: Record<string, string>): string {
  const l = [
    `Name:\t${name}`,
    ...mapLines('Labels:', { 'kubernetes.io/metadata.name': name, ...labels }, '='),
    'Annotations:\t<none>',
    'Status:\tActive',
    '',
    'No resource quota.',
    '',
    'No LimitRange resource.',
  ];
  return tabwrite(l.join('\n') + '\n', DESCRIBE_TABS);
}

function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

function hashHex(s: string): string {
  return sha256Hex(`node:${s}`);
}
