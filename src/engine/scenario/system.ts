/**
 * The objects a fresh kubeadm cluster already holds before the scenario's own objects:
 * - namespaces default, kube-node-lease, kube-public, kube-system (and the CNI's own, e.g. kube-flannel);
 * - static pods on every control-plane node: etcd-, kube-apiserver-, kube-controller-manager-,
 *   kube-scheduler-<node> (hostNetwork, owned by their Node as mirror pods are);
 * - DaemonSets kube-proxy (unless kubeProxy is none) and the CNI's (pluginFor(cni).daemonSet),
 *   both hostNetwork and tolerating every taint;
 * - Deployment coredns (2 replicas on the pod network, tolerating the control-plane taint),
 *   calico-kube-controllers for calico*, cilium-operator (hostNetwork) for cilium*;
 * - Services default/kubernetes (first address of the Service CIDR) and kube-system/kube-dns
 *   (tenth address), as kubeadm allocates them.
 * Sources: kubeadm cmd/kubeadm/app/phases/{controlplane,etcd,addons/dns,addons/proxy}, kubeadm
 * v1.31 constants (etcd 3.5.15-0, CoreDNS v1.11.3); the CNIs' install manifests for labels.
 * Objects the input already has (a dump of a real cluster) are not created again.
 */
import type { ClusterConfig, ContainerSpec, ManifestRec, NamespaceRec, WorkloadRec } from '../model/cluster';
import { pluginFor } from '../cni/registry';
import { formatIpv4 } from '../addressing/ipv4';
import { newMeta } from './meta';
import { DEFAULT_COREFILE } from '../dns/corefile';
import type { PodTemplateDecl } from './readManifests';
import { ingressNginxObjects, wantsIngressNginx } from '../ingress/controller';
import type { NodeDecl, PodDecl, Toleration } from './types';
import { kubeProxyConfigConf, kubeProxyKubeconfig } from '../kubeproxy/configMap';

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
const ETCD_IMAGE = 'registry.k8s.io/etcd:3.5.15-0';
const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';
/**
 * The pod-template-hash of kubeadm's CoreDNS Deployment as real clusters of that minor show it
 * (`coredns-7c65d6cfc9-xxxxx` on v1.31): the hash covers the full defaulted template, which we
 * do not reproduce, so the known value is used.
 */
const COREDNS_TEMPLATE_HASH: Record<string, string> = { '31': '7c65d6cfc9' };
const TOLERATE_ALL: Toleration[] = [{ operator: 'Exists' }];

/** Pod template labels of each CNI DaemonSet, from its install manifest. */
const CNI_LABELS: Record<string, Record<string, string>> = {
  'kube-flannel-ds': { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' },
  'calico-node': { 'k8s-app': 'calico-node' },
  cilium: { 'app.kubernetes.io/name': 'cilium-agent', 'app.kubernetes.io/part-of': 'cilium', 'k8s-app': 'cilium' },
  'weave-net': { name: 'weave-net' },
  // GKE: netd (GoogleCloudPlatform/netd deploy manifest) and anetd, GKE's Cilium agent (labelled as Cilium's).
  netd: { 'k8s-app': 'netd' },
  anetd: { 'k8s-app': 'cilium' },
  'aws-node': { 'app.kubernetes.io/instance': 'aws-vpc-cni', 'app.kubernetes.io/name': 'aws-node', 'k8s-app': 'aws-node' },
  'azure-cns': { 'k8s-app': 'azure-cns' },
};

/** What the input already holds, so the system does not create it twice. */
export interface Present {
  /** `namespace/name` of the input's pods (kube-system ones are enough). */
  pods: Set<string>;
  /** `Kind/namespace/name` of every object the input declares. */
  objects: Set<string>;
}

export interface SystemObjects {
  namespaces: NamespaceRec[];
  staticPods: PodDecl[];
  /** Workloads in creation order, with their templates for expansion. */
  workloads: { workload: WorkloadRec; template: PodTemplateDecl }[];
  objects: ManifestRec[];
}

function container(name: string, image: string, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return { name, image, ports: [], ...extra };
}

/** A workload record plus its template, built the way a manifest would be read. */
function workload(
  kind: 'Deployment' | 'DaemonSet',
  name: string,
  namespace: string,
  replicas: number,
  labels: Record<string, string>,
  spec: { hostNetwork: boolean; containers: ContainerSpec[]; tolerations: Toleration[]; priorityClassName: string },
): { workload: WorkloadRec; template: PodTemplateDecl } {
  const selectorLabels = 'k8s-app' in labels ? { 'k8s-app': labels['k8s-app'] } : { ...labels };
  const templateManifest = {
    metadata: { labels },
    spec: {
      containers: spec.containers.map((c) => ({ name: c.name, image: c.image, ...(c.command ? { command: c.command } : {}), ...(c.args ? { args: c.args } : {}), ...(c.ports.length ? { ports: c.ports } : {}) })),
      ...(spec.hostNetwork ? { hostNetwork: true } : {}),
      priorityClassName: spec.priorityClassName,
      tolerations: spec.tolerations,
    },
  };
  const selector = { matchLabels: selectorLabels };
  const meta = newMeta(kind, name, namespace, 0, { ...('k8s-app' in labels ? { 'k8s-app': labels['k8s-app'] } : labels) });
  const manifest = { apiVersion: 'apps/v1', kind, metadata: { name, namespace, labels: meta.labels }, spec: { ...(kind === 'Deployment' ? { replicas } : {}), selector, template: templateManifest } };
  return {
    workload: { kind, meta, replicas, selector, template: templateManifest, manifest },
    template: { labels, annotations: {}, spec: { nodeName: '', hostNetwork: spec.hostNetwork, containers: spec.containers, tolerations: spec.tolerations } },
  };
}

function service(name: string, namespace: string, labels: Record<string, string>, annotations: Record<string, string>, spec: Record<string, unknown>): ManifestRec {
  const meta = newMeta('Service', name, namespace, 0, labels, annotations);
  return { kind: 'Service', meta, manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, labels, ...(Object.keys(annotations).length ? { annotations } : {}) }, spec } };
}

/** The DaemonSet a pod of the input belongs to, or the Deployment its ReplicaSet belongs to. */
export function ownersOf(pods: PodDecl[]): Set<string> {
  const owners = new Set<string>();
  for (const p of pods) {
    const ns = p.meta.namespace ?? 'default';
    for (const o of p.meta.ownerReferences ?? []) {
      owners.add(`${o.kind}/${ns}/${o.name}`);
      if (o.kind === 'ReplicaSet') {
        const hash = p.meta.labels['pod-template-hash'];
        const cut = hash && o.name.endsWith(`-${hash}`) ? o.name.length - hash.length - 1 : o.name.lastIndexOf('-');
        if (cut > 0) owners.add(`Deployment/${ns}/${o.name.slice(0, cut)}`);
      }
    }
  }
  return owners;
}

export function systemObjects(config: ClusterConfig, nodes: NodeDecl[], present: Present): SystemObjects {
  const plugin = pluginFor(config.cni);
  const ds = plugin.daemonSet;
  const version = config.kubernetesVersion;

  const namespaces: NamespaceRec[] = [];
  const nsNames = [...SYSTEM_NAMESPACES];
  if (!nsNames.includes(ds.namespace)) nsNames.push(ds.namespace);
  for (const name of nsNames) {
    if (present.objects.has(`Namespace//${name}`)) continue;
    namespaces.push({ kind: 'Namespace', meta: newMeta('Namespace', name, undefined, 0, { 'kubernetes.io/metadata.name': name }) });
  }

  const staticPods: PodDecl[] = [];
  const components: [string, string][] = [
    ['etcd', ETCD_IMAGE],
    ['kube-apiserver', `registry.k8s.io/kube-apiserver:${version}`],
    ['kube-controller-manager', `registry.k8s.io/kube-controller-manager:${version}`],
    ['kube-scheduler', `registry.k8s.io/kube-scheduler:${version}`],
  ];
  for (const node of nodes) {
    if (node.role !== 'control-plane') continue;
    for (const [component, image] of components) {
      const name = `${component}-${node.meta.name}`;
      if (present.pods.has(`kube-system/${name}`)) continue;
      const meta = newMeta('Pod', name, 'kube-system', 0, { component, tier: 'control-plane' }, { 'kubernetes.io/config.source': 'file' });
      meta.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: node.meta.name, uid: node.meta.uid, controller: true }];
      staticPods.push({ meta, nodeName: node.meta.name, hostNetwork: true, containers: [container(component, image, { command: [component] })], phase: 'Running', ready: true, restartPolicy: 'Always', tolerations: [{ operator: 'Exists', effect: 'NoExecute' }] });
    }
  }

  const workloads: SystemObjects['workloads'] = [];
  const add = (w: ReturnType<typeof workload>) => {
    if (!present.objects.has(`${w.workload.kind}/${w.workload.meta.namespace}/${w.workload.meta.name}`)) workloads.push(w);
  };
  if (config.kubeProxy !== 'none') {
    add(
      workload('DaemonSet', 'kube-proxy', 'kube-system', 0, { 'k8s-app': 'kube-proxy' }, {
        hostNetwork: true,
        containers: [container('kube-proxy', `registry.k8s.io/kube-proxy:${version}`, { command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'] })],
        tolerations: TOLERATE_ALL,
        priorityClassName: 'system-node-critical',
      }),
    );
  }
  const coredns = workload('Deployment', 'coredns', 'kube-system', 2, { 'k8s-app': 'kube-dns' }, {
      hostNetwork: false,
      containers: [
        container('coredns', COREDNS_IMAGE, {
          args: ['-conf', '/etc/coredns/Corefile'],
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
            { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
          ],
        }),
      ],
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      priorityClassName: 'system-cluster-critical',
    });
  const knownHash = COREDNS_TEMPLATE_HASH[version.split('.')[1]];
  if (knownHash) coredns.workload.templateHash = knownHash;
  add(coredns);
  add(
    workload('DaemonSet', ds.name, ds.namespace, 0, CNI_LABELS[ds.name] ?? { 'k8s-app': ds.name }, {
      hostNetwork: true,
      containers: [container(ds.containerName, ds.image)],
      tolerations: TOLERATE_ALL,
      priorityClassName: 'system-node-critical',
    }),
  );
  const tag = ds.image.slice(ds.image.lastIndexOf(':') + 1);
  if (config.cni.startsWith('calico')) {
    add(
      workload('Deployment', 'calico-kube-controllers', 'calico-system', 1, { 'k8s-app': 'calico-kube-controllers' }, {
        hostNetwork: false,
        containers: [container('calico-kube-controllers', `docker.io/calico/kube-controllers:${tag}`)],
        tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
        priorityClassName: 'system-cluster-critical',
      }),
    );
  }
  if (config.cni.startsWith('cilium')) {
    add(
      workload('Deployment', 'cilium-operator', 'kube-system', 1, { 'io.cilium/app': 'operator', name: 'cilium-operator' }, {
        hostNetwork: true,
        containers: [container('cilium-operator', `quay.io/cilium/operator-generic:${tag}`, { command: ['cilium-operator-generic'] })],
        tolerations: TOLERATE_ALL,
        priorityClassName: 'system-cluster-critical',
      }),
    );
  }

  const objects: ManifestRec[] = [];
  // kubeadm takes the 1st and 10th addresses; a range too small for them is refused (addresses.ts).
  const svcIp = (n: number) => formatIpv4(config.serviceCIDR.has(n) ? config.serviceCIDR.nth(n) : config.serviceCIDR.network);
  if (!present.objects.has('Service/default/kubernetes')) {
    objects.push(
      service('kubernetes', 'default', { component: 'apiserver', provider: 'kubernetes' }, {}, {
        clusterIP: svcIp(1),
        clusterIPs: [svcIp(1)],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        sessionAffinity: 'None',
        type: 'ClusterIP',
      }),
    );
  }
  if (!present.objects.has('Service/kube-system/kube-dns')) {
    objects.push(
      service('kube-dns', 'kube-system', { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }, { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' }, {
        clusterIP: svcIp(10),
        clusterIPs: [svcIp(10)],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
        selector: { 'k8s-app': 'kube-dns' },
        sessionAffinity: 'None',
        type: 'ClusterIP',
      }),
    );
  }
  if (!present.objects.has('ConfigMap/kube-system/coredns')) {
    // kubeadm's CoreDNS addon ConfigMap; a scenario may bring its own (e.g. with `log` enabled).
    const meta = newMeta('ConfigMap', 'coredns', 'kube-system', 0, {});
    objects.push({ kind: 'ConfigMap', meta, manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: DEFAULT_COREFILE } } });
  }
  if (wantsIngressNginx(config, present.objects)) {
    // ingress-nginx (ingress/controller.ts): when the Cluster asks for it or the scenario has Ingresses.
    const nginx = ingressNginxObjects(present.objects);
    if (!present.objects.has(`Namespace//${nginx.namespace.meta.name}`)) namespaces.push(nginx.namespace);
    add(nginx.workload);
    objects.push(...nginx.objects);
  }
  if (config.kubeProxy !== 'none' && !present.objects.has('ConfigMap/kube-system/kube-proxy')) {
    // kubeadm's kube-proxy addon ConfigMap (config.conf's `mode:` is the cluster's kube-proxy mode).
    const cp = nodes.find((n) => n.role === 'control-plane');
    const server = `https://${cp?.ip !== undefined ? formatIpv4(cp.ip) : 'control-plane'}:6443`;
    const meta = newMeta('ConfigMap', 'kube-proxy', 'kube-system', 0, { app: 'kube-proxy' });
    objects.push({ kind: 'ConfigMap', meta, manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } }, data: { 'config.conf': kubeProxyConfigConf(config), 'kubeconfig.conf': kubeProxyKubeconfig(server) } } });
  }
  return { namespaces, staticPods, workloads, objects };
}
