/**
 * `kubectl cluster-info [dump]`: the control plane's URL and CoreDNS proxy URL, and the dump's
 * node list and kubeadm static pods (whose flags carry the service and cluster CIDRs).
 */
import { formatIpv4 } from '../../addressing/ipv4';
import type { Cluster } from '../../model/cluster';
import { out, type Ctx, type Out } from '../types';
import type { Parsed } from './args';
import type { Json } from './output';

export function apiServerUrl(cluster: Cluster): string {
  const cp = cluster.nodes.find((n) => n.role === 'control-plane') ?? cluster.nodes[0];
  return `https://${cp ? formatIpv4(cp.ip) : '127.0.0.1'}:6443`;
}

export function cmdClusterInfo(p: Parsed, ctx: Ctx): Out {
  const cluster = ctx.session.cluster;
  const url = apiServerUrl(cluster);
  if (p.positional[0] !== 'dump') {
    return out(
      `Kubernetes control plane is running at ${url}\nCoreDNS is running at ${url}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
    );
  }
  return out(clusterDump(cluster));
}

/** kubeadm's static control-plane pods, as `cluster-info dump` prints them (their flags carry the ranges). */
function clusterDump(cluster: Cluster): string {
  const cp = cluster.nodes.find((n) => n.role === 'control-plane') ?? cluster.nodes[0];
  const cpName = cp?.meta.name ?? 'control-plane';
  const cpIp = cp ? formatIpv4(cp.ip) : '127.0.0.1';
  const c = cluster.config;
  const pod = (name: string, command: string[]): Json => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels: { component: name, tier: 'control-plane' }, name: `${name}-${cpName}`, namespace: 'kube-system' },
    spec: { containers: [{ command, image: `registry.k8s.io/${name}:${c.kubernetesVersion}`, name }], hostNetwork: true, nodeName: cpName, priorityClassName: 'system-node-critical' },
    status: { hostIP: cpIp, phase: 'Running', podIP: cpIp },
  });
  const apiserver = pod('kube-apiserver', [
    'kube-apiserver',
    `--advertise-address=${cpIp}`,
    '--allow-privileged=true',
    '--authorization-mode=Node,RBAC',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    '--enable-admission-plugins=NodeRestriction',
    '--enable-bootstrap-token-auth=true',
    '--etcd-servers=https://127.0.0.1:2379',
    '--secure-port=6443',
    `--service-account-issuer=https://kubernetes.default.svc.${c.clusterDomain}`,
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
    `--service-cluster-ip-range=${c.serviceCIDR.toString()}`,
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  ]);
  const kcm = pod('kube-controller-manager', [
    'kube-controller-manager',
    '--allocate-node-cidrs=true',
    '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--bind-address=127.0.0.1',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    `--cluster-cidr=${c.podCIDR.toString()}`,
    '--cluster-name=kubernetes',
    '--controllers=*,bootstrapsigner,tokencleaner',
    '--kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--leader-elect=true',
    `--node-cidr-mask-size=${c.nodeCIDRMaskSize}`,
    `--service-cluster-ip-range=${c.serviceCIDR.toString()}`,
    '--use-service-account-credentials=true',
  ]);
  const nodes: Json = {
    kind: 'NodeList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '1000' },
    items: cluster.nodes.map((n): Json => ({ metadata: { name: n.meta.name }, spec: n.podCIDR ? { podCIDR: n.podCIDR.toString(), podCIDRs: [n.podCIDR.toString()] } : {}, status: { addresses: [{ type: 'InternalIP', address: formatIpv4(n.ip) }, { type: 'Hostname', address: n.meta.name }] } })),
  };
  const pods: Json = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1000' }, items: [apiserver, kcm] };
  // The dump prints each list as indented JSON, one after the other, unsorted keys as the API returns them.
  return JSON.stringify(nodes, null, 4) + '\n' + JSON.stringify(pods, null, 4) + '\n';
}
