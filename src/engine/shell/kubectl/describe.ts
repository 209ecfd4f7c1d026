/**
 * `kubectl describe pod|node|namespace` in kubectl's layout (pkg/describe/describe.go): a
 * PrefixWriter over one tabwriter (minwidth 0, padding 2), so fields align per block of
 * consecutive tabbed lines exactly as kubectl's do. Requests/limits are all zero: the engine
 * models no resource requests.
 */
import type { Cluster, EventRec, NodeRec, PodRec } from '../../model/cluster';
import { describeEvents, eventsFor } from './events';
import { DESCRIBE_TABS, tabwrite } from '../tabwriter';
import { age, createdAt, rfc1123z } from '../time';
import { sha256Hex } from '../../util/hash';
import { servicesOf } from '../../services/table';
import { fail, out, type Ctx, type Out } from '../types';
import { getFlags, resourceArgs, type Parsed } from './args';
import { allNamespaces } from './get';
import { kubectlIngress } from './ingress';
import { kubectlNetpol } from './netpol';
import { describeService } from './services';
import { listWorkloads, podsOwnedBy, replicaSetsOf, type ReplicaSetView } from './workloads';
import { formatSelector, readSelector } from '../../model/labelSelector';
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
    `Node:\t${pod.nodeName ? `${pod.nodeName}${node ? `/${ipText(node.ip)}` : ''}` : '<none>'}`,
    // An unscheduled pod has no status.startTime, and describe leaves the line out (describe.go describePod).
    ...(pod.nodeName ? [`Start Time:\t${rfc1123z(created)}`] : []),
    ...mapLines('Labels:', pod.meta.labels, '='),
    ...mapLines('Annotations:', pod.meta.annotations, ': '),
    `Status:\t${pod.phase}`,
    ...(pod.status?.reason && pod.phase !== 'Pending' ? [`Reason:\t${pod.status.reason}`] : []),
    ...(pod.status?.message && pod.phase !== 'Pending' ? [`Message:\t${pod.status.message}`] : []),
    `IP:\t${ip ?? ''}`,
    'IPs:',
  ];
  if (ip) l.push(`${L1}IP:\t${ip}`);
  else l[l.length - 1] = 'IPs:\t<none>';
  const owner = pod.meta.ownerReferences?.find((o) => o.controller !== false);
  if (owner) l.push(`Controlled By:\t${owner.kind}/${owner.name}`);
  l.push('Containers:');
  // Container statuses exist once kubelet has the pod (describe.go describeContainerBasicInfo/State print
  // the ID, image ID, state, ready and restarts only then); their IDs stay empty until the sandbox is up.
  const hasStatus = !!pod.nodeName;
  const sandboxUp = pod.phase !== 'Pending';
  pod.containers.forEach((c, i) => {
    l.push(`${L1}${c.name}:`);
    if (hasStatus) l.push(`${L2}Container ID:\t${sandboxUp ? `containerd://${containerIdOf(pod, i)}` : ''}`);
    l.push(`${L2}Image:\t${c.image}`);
    if (hasStatus) l.push(`${L2}Image ID:\t${sandboxUp ? imageId(c.image) : ''}`);
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
    if (!hasStatus) {
      // no state, ready or restart count without a container status
    } else if (pod.phase === 'Running') {
      l.push(`${L2}State:\tRunning`);
      l.push(`${L3}Started:\t${rfc1123z(created + POD_START_DELAY)}`);
    } else if (pod.phase === 'Failed') {
      l.push(`${L2}State:\tTerminated`);
      l.push(`${L3}Reason:\t${pod.status?.reason ?? 'Error'}`);
    } else {
      l.push(`${L2}State:\tWaiting`);
      l.push(`${L3}Reason:\tContainerCreating`);
    }
    if (hasStatus) {
      l.push(`${L2}Ready:\t${pod.ready ? 'True' : 'False'}`);
      l.push(`${L2}Restart Count:\t0`);
    }
    l.push(`${L2}Environment:\t<none>`);
    l.push(`${L2}Mounts:`);
    l.push(`${L3}/var/run/secrets/kubernetes.io/serviceaccount from ${apiAccessVolume(pod)} (ro)`);
  });
  const running = pod.phase === 'Running';
  l.push('Conditions:');
  l.push(`${L1}Type\tStatus`);
  // An unscheduled pod carries one condition, PodScheduled=False (the scheduler's); kubelet adds the rest.
  const conditions: [string, boolean][] = pod.nodeName
    ? [['PodReadyToStartContainers', running], ['Initialized', true], ['Ready', pod.ready], ['ContainersReady', pod.ready], ['PodScheduled', true]]
    : [['PodScheduled', false]];
  for (const [t, s] of conditions)
    l.push(`${L1}${t} \t${s ? 'True' : 'False'} `);
  l.push('Volumes:');
  l.push(`${L1}${apiAccessVolume(pod)}:`);
  l.push(`${L2}Type:\tProjected (a volume that contains injected data from multiple sources)`);
  l.push(`${L2}TokenExpirationSeconds:\t3607`);
  l.push(`${L2}ConfigMapName:\tkube-root-ca.crt`);
  l.push(`${L2}ConfigMapOptional:\t<nil>`);
  l.push(`${L2}DownwardAPI:\ttrue`);
  l.push('QoS Class:\tBestEffort');
  // spec.nodeSelector, one k=v per line, sorted (describe.go describePod: printLabelsMultiline(w, "Node-Selectors", ...)).
  const nsel = Object.entries(pod.scheduling?.nodeSelector ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
  l.push(`Node-Selectors:\t${nsel[0] ?? '<none>'}`);
  for (const kv of nsel.slice(1)) l.push(`\t${kv}`);
  l.push('Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s');
  l.push('\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s');
  return withEvents(cluster, l, eventsFor(cluster, 'Pod', pod.meta.namespace ?? 'default', pod.meta.name, pod.meta.uid));
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
  return withEvents(cluster, l, eventsFor(cluster, 'Node', undefined, node.meta.name));
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

/** The description's lines then its Events (describe.go DescribeEvents: `<none>` inline, or a table after a flush). */
export function withEvents(cluster: Cluster, lines: string[], events: EventRec[]): string {
  const ev = describeEvents(cluster, events);
  if (ev.line) return tabwrite([...lines, ev.line].join('\n') + '\n', DESCRIBE_TABS);
  return tabwrite(lines.join('\n') + '\n', DESCRIBE_TABS) + ev.block;
}

type Template = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: { containers?: { name: string; image: string; ports?: { containerPort: number; protocol?: string }[]; command?: string[]; args?: string[] }[]; nodeSelector?: Record<string, string>; tolerations?: { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }[] } };

const selectorLine = (sel: Record<string, string> | undefined) => (sel && Object.keys(sel).length ? Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',') : '<none>');

/** describe.go printTolerationsMultiline: `key=value:Effect` / `key:Effect op=Exists` … one a line, `<none>` when empty. */
function tolerationLines(title: string, ts: NonNullable<NonNullable<Template['spec']>['tolerations']>): string[] {
  if (!ts.length) return [`${title}\t<none>`];
  return ts.map((t, i) => {
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += text ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`;
    return i === 0 ? `${title}\t${text}` : `${L1}\t${text}`;
  });
}

/** describe.go DescribePodTemplate: the template's labels, annotations, containers, volumes, node selectors and tolerations. */
function podTemplateLines(template: unknown): string[] {
  const tpl = (template ?? {}) as Template;
  const l = ['Pod Template:'];
  l.push(...mapLines(`${L1}Labels:`, tpl.metadata?.labels ?? {}, '=').map((x, i) => (i === 0 ? x : `${L1}${x}`)));
  if (tpl.metadata?.annotations && Object.keys(tpl.metadata.annotations).length) l.push(...mapLines(`${L1}Annotations:`, tpl.metadata.annotations, ': ').map((x, i) => (i === 0 ? x : `${L1}${x}`)));
  l.push(`${L1}Containers:`);
  for (const c of tpl.spec?.containers ?? []) {
    l.push(`${L2.slice(1)}${c.name}:`);
    l.push(`${L2}Image:\t${c.image}`);
    const port = c.ports?.[0];
    l.push(`${L2}Port:\t${port ? `${port.containerPort}/${port.protocol ?? 'TCP'}` : '<none>'}`);
    l.push(`${L2}Host Port:\t${port ? `0/${port.protocol ?? 'TCP'}` : '<none>'}`);
    if (c.command?.length) l.push(`${L2}Command:`, ...c.command.map((a) => `${L3}${a}`));
    if (c.args?.length) l.push(`${L2}Args:`, ...c.args.map((a) => `${L3}${a}`));
    l.push(`${L2}Environment:\t<none>`, `${L2}Mounts:\t<none>`);
  }
  l.push(`${L1}Volumes:\t<none>`);
  l.push(`${L1}Node-Selectors:\t${selectorLine(tpl.spec?.nodeSelector)}`);
  l.push(...tolerationLines(`${L1}Tolerations:`, tpl.spec?.tolerations ?? []));
  return l;
}

/** describe.go getPodStatusForController: `N Running / N Waiting / N Succeeded / N Failed` (Pending counts as Waiting). */
function podsStatus(pods: PodRec[]): string {
  const n = (phase: string) => pods.filter((p) => p.phase === phase).length;
  return `${n('Running')} Running / ${n('Pending')} Waiting / ${n('Succeeded')} Succeeded / ${n('Failed')} Failed`;
}

/**
 * describe.go describeReplicaSet: name, selector, labels, annotations, its controller, replica
 * counts, the pods' phases, the pod template and the replicaset-controller's events.
 */
export function describeReplicaSet(cluster: Cluster, rs: ReplicaSetView): string {
  const pods = podsOwnedBy(cluster, rs.namespace, 'ReplicaSet', rs.name);
  const sel = rs.deployment ? { matchLabels: { ...((rs.rec.selector as { matchLabels?: Record<string, string> }).matchLabels ?? {}), 'pod-template-hash': rs.hash! } } : rs.rec.selector;
  const owner = rs.meta.ownerReferences?.find((o) => o.controller);
  const template = rs.deployment ? withTemplateHash(rs.rec.template, rs.hash!) : rs.rec.template;
  const l = [
    `Name:\t${rs.name}`,
    `Namespace:\t${rs.namespace}`,
    `Selector:\t${formatSelector(readSelector(sel))}`,
    ...mapLines('Labels:', rs.meta.labels, '='),
    ...mapLines('Annotations:', rs.meta.annotations, ': '),
    ...(owner ? [`Controlled By:\t${owner.kind}/${owner.name}`] : []),
    `Replicas:\t${pods.length} current / ${rs.replicas} desired`,
    `Pods Status:\t${podsStatus(pods)}`,
    ...podTemplateLines(template),
  ];
  return withEvents(cluster, l, eventsFor(cluster, 'ReplicaSet', rs.namespace, rs.name));
}

/** A Deployment's template as its ReplicaSet holds it (the pod-template-hash label added). */
function withTemplateHash(template: unknown, hash: string): Template {
  const t = (template ?? {}) as Template;
  return { ...t, metadata: { ...t.metadata, labels: { ...t.metadata?.labels, 'pod-template-hash': hash } } };
}

/**
 * describe.go describeDaemonSet: selector, node selector, labels, annotations, the scheduling
 * counts (the status fields `kubectl get ds` shows), the pods' phases, the pod template and the
 * daemonset-controller's events.
 */
export function describeDaemonSet(cluster: Cluster, namespace: string, name: string): string {
  const w = cluster.workloads.get(`DaemonSet/${namespace}/${name}`)!;
  const item = listWorkloads(cluster, 'daemonsets', namespace).find((d) => d.name === name)!;
  const st = (item.json() as { status: { desiredNumberScheduled: number; currentNumberScheduled: number; updatedNumberScheduled: number; numberAvailable: number; numberMisscheduled: number } }).status;
  const pods = podsOwnedBy(cluster, namespace, 'DaemonSet', name);
  const l = [
    `Name:\t${name}`,
    `Namespace:\t${namespace}`,
    `Selector:\t${formatSelector(readSelector(w.selector))}`,
    `Node-Selector:\t${selectorLine((w.template as Template | undefined)?.spec?.nodeSelector)}`,
    ...mapLines('Labels:', w.meta.labels, '='),
    ...mapLines('Annotations:', { 'deprecated.daemonset.template.generation': '1', ...w.meta.annotations }, ': '),
    `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled}`,
    `Current Number of Nodes Scheduled: ${st.currentNumberScheduled}`,
    `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled}`,
    `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable}`,
    `Number of Nodes Misscheduled: ${st.numberMisscheduled}`,
    `Pods Status:\t${podsStatus(pods)}`,
    ...podTemplateLines(w.template),
  ];
  return withEvents(cluster, l, eventsFor(cluster, 'DaemonSet', namespace, name));
}

/**
 * describe.go DeploymentDescriber: the Deployment, its replica counts, strategy, pod template,
 * conditions, old and new ReplicaSets and its events.
 */
export function describeDeployment(cluster: Cluster, namespace: string, name: string): string {
  const w = cluster.workloads.get(`Deployment/${namespace}/${name}`)!;
  const item = listWorkloads(cluster, 'deployments', namespace).find((d) => d.name === name)!;
  const j = item.json() as { spec: { replicas?: number; strategy?: { type?: string; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } }; minReadySeconds?: number }; status: { replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: { type: string; status: string; reason: string }[] } };
  const st = j.status;
  const want = j.spec.replicas ?? 1;
  const total = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  const strategy = j.spec.strategy?.type ?? 'RollingUpdate';
  const ru = j.spec.strategy?.rollingUpdate ?? {};
  const l: string[] = [
    `Name:\t${name}`,
    `Namespace:\t${namespace}`,
    `CreationTimestamp:\t${rfc1123z(createdAt(w.meta))}`,
    ...mapLines('Labels:', w.meta.labels, '='),
    ...mapLines('Annotations:', { 'deployment.kubernetes.io/revision': '1', ...w.meta.annotations }, ': '),
    `Selector:\t${formatSelector(readSelector(w.selector))}`,
    `Replicas:\t${want} desired | ${st.updatedReplicas ?? 0} updated | ${total} total | ${available} available | ${Math.max(0, total - available)} unavailable`,
    `StrategyType:\t${strategy}`,
    `MinReadySeconds:\t${j.spec.minReadySeconds ?? 0}`,
  ];
  if (strategy === 'RollingUpdate') l.push(`RollingUpdateStrategy:\t${String(ru.maxUnavailable ?? '25%')} max unavailable, ${String(ru.maxSurge ?? '25%')} max surge`);
  l.push(...podTemplateLines(w.template));
  l.push('Conditions:', `${L1}Type\tStatus\tReason`, `${L1}----\t------\t------`);
  for (const c of st.conditions ?? []) l.push(`${L1}${c.type} \t${c.status} \t${c.reason}`);
  const sets = replicaSetsOf(cluster, namespace).filter((r) => r.deployment?.meta.name === name || r.meta.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === name));
  const current = `${name}-${w.templateHash ?? ''}`;
  const created = (rs: string) => [...cluster.pods.values()].filter((p) => (p.meta.namespace ?? 'default') === namespace && p.meta.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === rs)).length;
  const olds = sets.filter((r) => r.name !== current && created(r.name) > 0);
  l.push(`OldReplicaSets:\t${olds.length ? olds.map((r) => `${r.name} (${created(r.name)}/${r.replicas} replicas created)`).join(', ') : '<none>'}`);
  // describe.go printReplicaSetsByLabels: "%s (%d/%d replicas created)", status.replicas/spec.replicas.
  l.push(`NewReplicaSet:\t${current} (${created(current)}/${sets.find((r) => r.name === current)?.replicas ?? want} replicas created)`);
  return withEvents(cluster, l, eventsFor(cluster, 'Deployment', namespace, name));
}

function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

function hashHex(s: string): string {
  return sha256Hex(`node:${s}`);
}

/** The `describe` verb: exact name first, then the name as a prefix (kubectl describe does both). */
export function cmdDescribe(p: Parsed, ctx: Ctx): Out {
  const netpol = kubectlNetpol('describe', p, ctx);
  if (netpol) return netpol;
  const ingress = kubectlIngress(p, ctx);
  if (ingress) return ingress;
  const f = getFlags(p);
  if (typeof f === 'string') return fail(f);
  const r = resourceArgs(p.positional, 'describe');
  if ('status' in r) return r;
  const cluster = ctx.session.cluster;
  const parts: string[] = [];
  let stderr = '';
  for (const kind of r.kinds) {
    const matchesName = (n: string) => r.names.length === 0 || r.names.some((x) => n.startsWith(x));
    if (kind === 'pods') {
      const pods = [...cluster.pods.values()].filter((x) => (f.allNamespaces || (x.meta.namespace ?? 'default') === f.namespace) && matchesName(x.meta.name));
      pods.sort((a, b) => a.meta.name.localeCompare(b.meta.name));
      if (!pods.length) stderr += r.names.length ? `Error from server (NotFound): pods "${r.names[0]}" not found\n` : `No resources found in ${f.namespace} namespace.\n`;
      for (const x of pods) parts.push(describePod(cluster, x));
    } else if (kind === 'nodes') {
      const nodes = cluster.nodes.filter((n) => matchesName(n.meta.name));
      if (!nodes.length) stderr += `Error from server (NotFound): nodes "${r.names[0]}" not found\n`;
      for (const n of nodes) parts.push(describeNode(cluster, n));
    } else if (kind === 'services') {
      const inNs = servicesOf(cluster).services.filter((s) => f.allNamespaces || s.namespace === f.namespace);
      // describe gets an exact name first and falls back to the name as a prefix.
      const exact = inNs.filter((s) => r.names.includes(s.name));
      const svcs = exact.length ? exact : inNs.filter((s) => matchesName(s.name));
      if (!svcs.length) stderr += r.names.length ? `Error from server (NotFound): services "${r.names[0]}" not found\n` : `No resources found in ${f.namespace} namespace.\n`;
      for (const s of svcs) parts.push(describeService(cluster, s));
    } else if (kind === 'deployments') {
      const items = listWorkloads(cluster, 'deployments', f.allNamespaces ? null : f.namespace);
      const exact = items.filter((d) => r.names.includes(d.name));
      const picked = exact.length ? exact : items.filter((d) => matchesName(d.name));
      if (!picked.length) stderr += r.names.length ? `Error from server (NotFound): deployments.apps "${r.names[0]}" not found\n` : `No resources found in ${f.namespace} namespace.\n`;
      for (const d of picked) parts.push(describeDeployment(cluster, d.namespace, d.name));
    } else if (kind === 'replicasets' || kind === 'daemonsets') {
      const items = kind === 'replicasets' ? replicaSetsOf(cluster, f.allNamespaces ? null : f.namespace) : listWorkloads(cluster, 'daemonsets', f.allNamespaces ? null : f.namespace);
      const exact = items.filter((d) => r.names.includes(d.name));
      const picked = (exact.length ? exact : items.filter((d) => matchesName(d.name))).sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
      if (!picked.length) stderr += r.names.length ? `Error from server (NotFound): ${kind}.apps "${r.names[0]}" not found\n` : `No resources found in ${f.namespace} namespace.\n`;
      for (const d of picked) parts.push(kind === 'replicasets' ? describeReplicaSet(cluster, d as ReplicaSetView) : describeDaemonSet(cluster, d.namespace, d.name));
    } else if (kind !== 'namespaces') {
      stderr += `error: podpath cannot describe ${kind} yet; try kubectl get ${kind} -o yaml\n`;
    } else {
      const nss = allNamespaces(cluster).filter((n) => matchesName(n.meta.name));
      if (!nss.length) stderr += `Error from server (NotFound): namespaces "${r.names[0]}" not found\n`;
      for (const n of nss) parts.push(describeNamespace(n.meta.name, n.meta.labels));
    }
  }
  // kubectl separates several descriptions with a blank line.
  return out(parts.join('\n\n'), stderr, parts.length ? 0 : 1);
}
