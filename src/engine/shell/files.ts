/**
 * The files a command can read in each place: the kubelet-managed /etc/hosts and
 * /etc/resolv.conf in a pod, the CNI plugin's files on a node (plugin.nodeFiles), a few
 * /proc/sys entries, and on the host the files the embedding app or CLI provides.
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { Cluster, PodRec } from '../model/cluster';
import { networkOf } from '../cni/network';
import { netnsId } from '../model/ids';
import { formatResolvConf, podResolv } from '../dns/resolvConf';
import { sha256Hex } from '../util/hash';
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

/**
 * Character devices every place has. /dev/zero never ends: a read returns DEVICE_READ_LIMIT
 * bytes and is marked endless, so the command stops as a user's Ctrl-C would stop it.
 */
const DEVICES: Record<string, string> = { '/dev/null': '', '/dev/zero': '' };
/** Their major, minor numbers (Documentation/admin-guide/devices.txt: mem devices 1,3 and 1,5). */
export const DEVICE_NUMBERS: Record<string, string> = { '/dev/null': '1, 3', '/dev/zero': '1, 5' };
export const DEVICE_READ_LIMIT = 64 * 1024;
const ENDLESS = new Set(['/dev/zero']);

/** The user on the simulated workstation (whoami) and their home (pwd, ~, $HOME). */
export const WORKSTATION_USER = 'user';
export const WORKSTATION_HOME = `/home/${WORKSTATION_USER}`;

/** The API server kubeadm's control plane serves (the first control-plane node, port 6443). */
export function apiServerUrl(cluster: Cluster): string {
  const cp = cluster.nodes.find((n) => n.role === 'control-plane') ?? cluster.nodes[0];
  return `https://${cp ? formatIpv4(cp.ip) : '127.0.0.1'}:6443`;
}

/** Base64 of a PEM block whose body is derived from `seed` (deterministic stand-in key material). */
function pemData(kind: string, seed: string): string {
  const hex = sha256Hex(`${kind}:${seed}`).repeat(4);
  let raw = '';
  for (let i = 0; i < hex.length; i += 2) raw += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  const body = btoa(raw).replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return btoa(`-----BEGIN ${kind}-----\n${body}\n-----END ${kind}-----\n`);
}

/** kubeadm's admin.conf as copied to ~/.kube/config (kubeadm init's "To start using your cluster"). */
function kubeconfig(cluster: Cluster): string {
  const server = apiServerUrl(cluster);
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${pemData('CERTIFICATE', `ca:${server}`)}
    server: ${server}
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: ${pemData('CERTIFICATE', `admin:${server}`)}
    client-key-data: ${pemData('RSA PRIVATE KEY', `admin:${server}`)}
`;
}

/** A Linux laptop's /etc/passwd (Ubuntu 22.04 base accounts, then the desktop user). */
const WORKSTATION_PASSWD = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
systemd-network:x:100:102:systemd Network Management,,,:/run/systemd:/usr/sbin/nologin
systemd-resolve:x:101:103:systemd Resolver,,,:/run/systemd:/usr/sbin/nologin
messagebus:x:102:105::/nonexistent:/usr/sbin/nologin
systemd-timesync:x:103:106:systemd Time Synchronization,,,:/run/systemd:/usr/sbin/nologin
${WORKSTATION_USER}:x:1000:1000:${WORKSTATION_USER},,,:${WORKSTATION_HOME}:/bin/bash
`;

/** The home-directory path of a loaded scenario file (its base name: `-f ../lab/demo.yaml` is ~/demo.yaml; stdin has none). */
function homePath(name: string): string | undefined {
  const base = name.split('/').pop() ?? '';
  return base && base !== '-' && base !== '.' && base !== '..' ? `${WORKSTATION_HOME}/${base}` : undefined;
}

/** The simulated workstation: a laptop with kubectl set up for this cluster and the scenario files the learner loaded (not this machine's files). */
function workstationFiles(session: Session): Record<string, string> {
  const cluster = session.cluster;
  const loaded: Record<string, string> = {};
  for (const [name, text] of Object.entries(session.options.workstationFiles?.() ?? {})) {
    const at = homePath(name);
    if (at) loaded[at] = text;
  }
  return {
    ...loaded,
    '/etc/hostname': 'localhost\n',
    '/etc/hosts': nodeHostsFile('localhost'),
    '/etc/resolv.conf': nodeResolvConf(),
    '/etc/passwd': WORKSTATION_PASSWD,
    [`${WORKSTATION_HOME}/.kube/config`]: kubeconfig(cluster),
    ...DEVICES,
  };
}

/** Every file readable in a place, path → content. */
export function filesOf(session: Session, place: Place): Record<string, string> {
  const cluster = session.cluster;
  if (place.kind === 'host') return workstationFiles(session);
  if (place.kind === 'pod') {
    const pod = findPod(cluster, place.namespace, place.name);
    if (!pod) return {};
    if (pod.hostNetwork) return { ...nodeFiles(session, pod.nodeName), '/etc/resolv.conf': podResolvConf(cluster, pod) };
    return {
      '/etc/hosts': podHostsFile(cluster, pod),
      '/etc/resolv.conf': podResolvConf(cluster, pod),
      '/etc/hostname': `${pod.hostname ?? pod.meta.name}\n`,
      '/proc/sys/net/ipv4/ip_forward': '1\n',
      ...DEVICES,
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
    ...DEVICES,
  };
  for (const b of net.plugin.binaries) files[`/opt/cni/bin/${b}`] = '';
  // /proc/sys mirrors the node's sysctls (kernel defaults, the CNI's and kube-proxy's, `sysctl -w` overrides).
  for (const [key, value] of Object.entries(net.get(netnsId.node(nodeName))?.sysctl ?? {})) files[`/proc/sys/${key.replace(/\./g, '/')}`] = `${value}\n`;
  return files;
}

/** Where a place's shell starts: the user's home, or / in a container (and in `kubectl debug node/…`). */
export function homeOf(place: Place): string {
  if (place.kind === 'pod' || (place.kind === 'node' && place.via === 'debug')) return '/';
  if (place.kind === 'host') return WORKSTATION_HOME;
  return place.kind === 'node' && place.via === 'minikube' ? '/home/docker' : '/root';
}

/** The working directory of a place's shell: where `cd` last went, else where it started. */
export function cwdOf(place: Place): string {
  return place.cwd ?? homeOf(place);
}

/** Is the path a directory of the place (one holding files, `/`, or the user's home, which may be empty)? */
export function isDirectory(session: Session, place: Place, path: string): boolean {
  const d = resolvePath(place, path);
  return d === '/' || d === homeOf(place) || d === cwdOf(place) || listDir(session, place, d) !== undefined;
}

/** An absolute path from what the user typed, relative to the place's working directory. */
export function resolvePath(place: Place, path: string): string {
  return normalize(path.startsWith('/') ? path : `${cwdOf(place)}/${path}`);
}

/**
 * Read one file of the place's simulated filesystem (never the user's disk: only `kubectl apply -f`
 * reads that, through the embedder's readFile). Devices that never end give DEVICE_READ_LIMIT bytes.
 */
export function readFileIn(session: Session, place: Place, path: string): string | undefined {
  const p = resolvePath(place, path);
  if (ENDLESS.has(p)) return '\0'.repeat(DEVICE_READ_LIMIT);
  return filesOf(session, place)[p];
}

/** Is this a device a read never reaches the end of (a command reading all of it runs until ^C)? */
export function isEndless(place: Place, path: string): boolean {
  return ENDLESS.has(resolvePath(place, path));
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
  const d = resolvePath(place, dir);
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
