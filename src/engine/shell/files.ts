/**
 * The files a command can read in each place: the kubelet-managed /etc/hosts and
 * /etc/resolv.conf in a pod, the CNI plugin's files on a node (plugin.nodeFiles), a few
 * /proc/sys entries, and on the host the files the embedding app or CLI provides.
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { Cluster, PodRec } from '../model/cluster';
import { networkOf } from '../cni/network';
import { formatResolvConf, podResolv } from '../dns/resolvConf';
import type { Place, Session } from './types';

/** kubeadm's clusterDNS: the 10th address of the service CIDR (10.96.0.10). */
export function clusterDnsIp(cluster: Cluster): string {
  return formatIpv4(cluster.config.serviceCIDR.nth(10));
}

export function findPod(cluster: Cluster, namespace: string, name: string): PodRec | undefined {
  return cluster.pods.get(`${namespace}/${name}`);
}

/** kubelet managedHostsFileContent (pkg/kubelet/kubelet_pods.go). */
export function podHostsFile(cluster: Cluster, pod: PodRec): string {
  const ip = pod.attachment ? formatIpv4(pod.attachment.ip) : '';
  const hostname = pod.hostname ?? pod.meta.name;
  let s =
    '# Kubernetes-managed hosts file.\n' +
    '127.0.0.1\tlocalhost\n' +
    '::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\n' +
    'fe00::0\tip6-mcastprefix\n' +
    'fe00::1\tip6-allnodes\n' +
    'fe00::2\tip6-allrouters\n';
  if (pod.subdomain) s += `${ip}\t${hostname}.${pod.subdomain}.${pod.meta.namespace ?? 'default'}.svc.${cluster.config.clusterDomain}\t${hostname}\n`;
  else s += `${ip}\t${hostname}\n`;
  return s;
}

/** /etc/resolv.conf as kubelet writes it from the pod's dnsPolicy and dnsConfig (dns/resolvConf.ts). */
export function podResolvConf(cluster: Cluster, pod: PodRec): string {
  return formatResolvConf(podResolv(cluster, pod));
}

function nodeHostsFile(node: string): string {
  return `127.0.0.1 localhost\n127.0.1.1 ${node}\n\n# The following lines are desirable for IPv6 capable hosts\n::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n`;
}

function nodeResolvConf(): string {
  // systemd-resolved's stub on Ubuntu nodes.
  return 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n';
}

/** Every file readable in a place, path → content. The host has none listed (readFile only). */
export function filesOf(session: Session, place: Place): Record<string, string> {
  const cluster = session.cluster;
  if (place.kind === 'pod') {
    const pod = findPod(cluster, place.namespace, place.name);
    if (!pod) return {};
    if (pod.hostNetwork) return { ...nodeFiles(session, pod.nodeName), '/etc/resolv.conf': podResolvConf(cluster, pod) };
    return {
      '/etc/hosts': podHostsFile(cluster, pod),
      '/etc/resolv.conf': podResolvConf(cluster, pod),
      '/etc/hostname': `${pod.hostname ?? pod.meta.name}\n`,
      '/proc/sys/net/ipv4/ip_forward': '1\n',
    };
  }
  if (place.kind === 'node' || place.kind === 'netns') return nodeFiles(session, place.node);
  return {};
}

function nodeFiles(session: Session, nodeName: string): Record<string, string> {
  const cluster = session.cluster;
  const node = cluster.nodes.find((n) => n.meta.name === nodeName);
  if (!node) return {};
  const net = networkOf(cluster);
  const files: Record<string, string> = {
    '/etc/hostname': `${nodeName}\n`,
    '/etc/hosts': nodeHostsFile(nodeName),
    '/etc/resolv.conf': nodeResolvConf(),
    '/proc/sys/net/ipv4/ip_forward': '1\n',
    ...net.plugin.nodeFiles(net.ctx, node),
  };
  for (const b of net.plugin.binaries) files[`/opt/cni/bin/${b}`] = '';
  return files;
}

/** Read one file in a place; on the host, through the embedder's readFile. */
export function readFileIn(session: Session, place: Place, path: string): string | undefined {
  if (place.kind === 'host') return session.options.readFile?.(path);
  return filesOf(session, place)[normalize(path)];
}

export function normalize(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

/** Entries of a directory (names only), or undefined when it is not a directory we know. */
export function listDir(session: Session, place: Place, dir: string): string[] | undefined {
  const d = normalize(dir);
  const prefix = d === '/' ? '/' : d + '/';
  const names = new Set<string>();
  for (const path of Object.keys(filesOf(session, place))) {
    if (!path.startsWith(prefix)) continue;
    names.add(path.slice(prefix.length).split('/')[0]);
  }
  return names.size ? [...names].sort() : undefined;
}

/** Every namespace the cluster shows: kubeadm's four, the scenario's, and those holding pods. */
export function namespaceNames(cluster: Cluster): string[] {
  const set = new Set<string>(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  for (const n of cluster.namespaces.keys()) set.add(n);
  for (const p of cluster.pods.values()) set.add(p.meta.namespace ?? 'default');
  return [...set].sort();
}
