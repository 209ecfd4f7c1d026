/**
 * `ss -tlnp` / `ss -ulnp` / `ss -lntu` (iproute2): the listening sockets of a network namespace,
 * derived from what runs there. On a node (ssh, `kubectl debug node/…`, `nsenter -t 1 -n`): sshd,
 * systemd-resolved (Ubuntu images), containerd's CRI streaming server, the kubelet (10250 and its
 * healthz 127.0.0.1:10248), and the host-network pods scheduled on it — kube-proxy (metrics
 * 127.0.0.1:10249, healthz 10256), the control-plane static pods (6443, etcd 2379/2380/2381,
 * 10257, 10259), the CNI agents (Calico's BIRD 179 and Felix 9099; Cilium's agent 9879, gops 9890,
 * Hubble 4244; Weave 6783/6784/6782/6781; aws-node 50051/61678/61679) and NodeLocal DNSCache
 * (169.254.20.10:53, health 8080, metrics 9253) where present. In a pod: its containers' ports.
 * Process ids are the pods' (or fixed ones for host daemons), so `nsenter -t PID` finds them.
 * The table is ss's renderer: each column as wide as its widest cell, addresses right-aligned
 * with their `:` and ports left-aligned (ss.c columns[] and render()).
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { Cluster, NodeRec, PodRec } from '../model/cluster';
import { servicesOf } from '../services/table';
import { fail, out, type Handler, type Place } from './types';

interface Sock {
  proto: 'tcp' | 'udp';
  addr: string;
  port: number;
  backlog: number;
  process: string;
  pid: number;
  fd: number;
}

/** Host daemons' pids: started by systemd before any container. */
const PID = { sshd: 812, resolved: 512, containerd: 690, kubelet: 1041 };

const has = (p: PodRec, key: string, value: string) => p.meta.labels[key] === value;

function nodeSockets(cluster: Cluster, node: NodeRec): Sock[] {
  const ip = formatIpv4(node.ip);
  const s: Sock[] = [];
  const add = (proto: Sock['proto'], addr: string, port: number, process: string, pid: number, fd: number, backlog = 4096) => s.push({ proto, addr, port, backlog: proto === 'udp' ? 0 : backlog, process, pid, fd });
  add('tcp', '0.0.0.0', 22, 'sshd', PID.sshd, 3, 128);
  add('tcp', '[::]', 22, 'sshd', PID.sshd, 4, 128);
  if (/ubuntu/i.test(node.osImage)) {
    add('tcp', '127.0.0.53%lo', 53, 'systemd-resolve', PID.resolved, 15);
    add('tcp', '127.0.0.54', 53, 'systemd-resolve', PID.resolved, 17);
    add('udp', '127.0.0.53%lo', 53, 'systemd-resolve', PID.resolved, 14);
    add('udp', '127.0.0.54', 53, 'systemd-resolve', PID.resolved, 16);
  }
  // containerd's CRI streaming server (exec/attach/port-forward) on a kernel-chosen loopback port.
  add('tcp', '127.0.0.1', 32768 + (node.ip % 28000), 'containerd', PID.containerd, 11);
  add('tcp', '127.0.0.1', 10248, 'kubelet', PID.kubelet, 20);
  add('tcp', '*', 10250, 'kubelet', PID.kubelet, 23);
  const pods = [...cluster.pods.values()].filter((p) => p.nodeName === node.meta.name && p.phase === 'Running' && p.hostNetwork);
  for (const p of pods) {
    const pid = p.pid + 1;
    if (has(p, 'k8s-app', 'kube-proxy') && cluster.config.kubeProxy !== 'none') {
      add('tcp', '127.0.0.1', 10249, 'kube-proxy', pid, 12);
      add('tcp', '*', 10256, 'kube-proxy', pid, 10);
    } else if (has(p, 'component', 'kube-apiserver')) add('tcp', '*', 6443, 'kube-apiserver', pid, 3);
    else if (has(p, 'component', 'etcd')) {
      add('tcp', '127.0.0.1', 2379, 'etcd', pid, 9);
      add('tcp', ip, 2379, 'etcd', pid, 8);
      add('tcp', ip, 2380, 'etcd', pid, 7);
      add('tcp', '127.0.0.1', 2381, 'etcd', pid, 13);
    } else if (has(p, 'component', 'kube-controller-manager')) add('tcp', '127.0.0.1', 10257, 'kube-controller', pid, 3);
    else if (has(p, 'component', 'kube-scheduler')) add('tcp', '127.0.0.1', 10259, 'kube-scheduler', pid, 3);
    else if (has(p, 'k8s-app', 'calico-node')) {
      add('tcp', '0.0.0.0', 179, 'bird', pid + 40, 7, 8);
      add('tcp', '127.0.0.1', 9099, 'calico-node', pid, 9);
    } else if (has(p, 'k8s-app', 'cilium')) {
      add('tcp', '127.0.0.1', 9879, 'cilium-agent', pid, 36);
      add('tcp', '127.0.0.1', 9890, 'cilium-agent', pid, 7);
      add('tcp', '*', 4244, 'cilium-agent', pid, 52);
    } else if (has(p, 'name', 'weave-net')) {
      add('tcp', '*', 6783, 'weaver', pid, 9);
      add('tcp', '127.0.0.1', 6784, 'weaver', pid, 11);
      add('tcp', '*', 6782, 'weaver', pid, 12);
      add('tcp', '*', 6781, 'weave-npc', pid + 30, 5);
      add('udp', '0.0.0.0', 6784, 'weaver', pid, 10);
      add('udp', '0.0.0.0', 6783, 'weaver', pid, 8);
    } else if (has(p, 'k8s-app', 'aws-node')) {
      add('tcp', '127.0.0.1', 50051, 'aws-k8s-agent', pid, 9);
      add('tcp', '127.0.0.1', 61679, 'aws-k8s-agent', pid, 10);
      add('tcp', '*', 61678, 'aws-k8s-agent', pid, 11);
    } else if (has(p, 'k8s-app', 'node-local-dns')) {
      // node-cache binds the link-local address and kube-dns's ClusterIP on its dummy interface.
      const dns = servicesOf(cluster).services.find((x) => x.namespace === 'kube-system' && x.name === 'kube-dns');
      for (const a of ['169.254.20.10', ...(dns?.clusterIP != null ? [formatIpv4(dns.clusterIP)] : [])]) {
        add('tcp', a, 53, 'node-cache', pid, 8);
        add('udp', a, 53, 'node-cache', pid, 7);
      }
      add('tcp', '169.254.20.10', 8080, 'node-cache', pid, 3);
      add('tcp', '*', 9253, 'node-cache', pid, 5);
    } else {
      for (const c of p.containers) for (const port of c.ports) add(port.protocol === 'UDP' ? 'udp' : 'tcp', '*', port.containerPort, c.name.slice(0, 15), pid, 3);
    }
  }
  return s;
}

/** What listens in a pod's own network namespace: its containers' declared ports (CoreDNS's too). */
function podSockets(pod: PodRec): Sock[] {
  const s: Sock[] = [];
  pod.containers.forEach((c, i) => {
    const pid = pod.pid + 1 + i;
    const proc = (c.command?.[0] ?? c.image.split('/').pop()!.split(/[:@]/)[0]).split('/').pop()!.slice(0, 15);
    if (/coredns/.test(c.image)) {
      s.push({ proto: 'tcp', addr: '*', port: 53, backlog: 4096, process: 'coredns', pid, fd: 7 });
      s.push({ proto: 'udp', addr: '*', port: 53, backlog: 0, process: 'coredns', pid, fd: 8 });
      s.push({ proto: 'tcp', addr: '*', port: 8080, backlog: 4096, process: 'coredns', pid, fd: 3 });
      s.push({ proto: 'tcp', addr: '*', port: 8181, backlog: 4096, process: 'coredns', pid, fd: 9 });
      s.push({ proto: 'tcp', addr: '*', port: 9153, backlog: 4096, process: 'coredns', pid, fd: 10 });
      return;
    }
    for (const p of c.ports) s.push({ proto: p.protocol === 'UDP' ? 'udp' : 'tcp', addr: '0.0.0.0', port: p.containerPort, backlog: p.protocol === 'UDP' ? 0 : 511, process: proc, pid, fd: 6 });
  });
  return s;
}

/** ss.c render(): columns as wide as their widest cell; `addr:` right-aligned, port left-aligned. */
function render(rows: string[][], netid: boolean, processCol: boolean): string {
  const head = [...(netid ? ['Netid'] : []), 'State', 'Recv-Q', 'Send-Q', 'Local Address:', 'Port', 'Peer Address:', 'Port', ...(processCol ? ['Process'] : [])];
  const right = new Set([head.indexOf('Local Address:'), head.lastIndexOf('Peer Address:')]);
  // Columns with no left delimiter: the ports (glued to their address) and Process (ss prints it after the peer port).
  const glued = new Set([head.indexOf('Port'), head.lastIndexOf('Port'), head.indexOf('Process')]);
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => {
        const w = widths[i];
        const padded = right.has(i) ? cell.padStart(w) : i === r.length - 1 ? cell : cell.padEnd(w);
        return (i === 0 || glued.has(i) ? '' : ' ') + padded;
      })
      .join('');
  return all.map(line).join('\n') + '\n';
}

export const ss: Handler = (args, ctx) => {
  let tcp = false;
  let udp = false;
  let listening = false;
  let processes = false;
  for (const a of args) {
    if (a === '--tcp') tcp = true;
    else if (a === '--udp') udp = true;
    else if (a === '--listening') listening = true;
    else if (a === '--processes') processes = true;
    else if (a === '--numeric') continue;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      for (const c of a.slice(1)) {
        if (c === 't') tcp = true;
        else if (c === 'u') udp = true;
        else if (c === 'l') listening = true;
        else if (c === 'p') processes = true;
        else if (!'na4'.includes(c)) return fail(`ss: invalid option -- '${c}'\nUsage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]`, 1);
      }
    }
  }
  if (!tcp && !udp) tcp = udp = true;
  const cluster = ctx.session.cluster;
  const place: Place = ctx.place;
  let socks: Sock[] = [];
  if (place.kind === 'node') {
    const node = cluster.nodes.find((n) => n.meta.name === place.node);
    if (node) socks = nodeSockets(cluster, node);
  } else if (place.kind === 'pod' || place.kind === 'netns') {
    const pod = cluster.pods.get(`${place.namespace}/${place.name}`);
    if (pod) socks = pod.hostNetwork ? nodeSockets(cluster, cluster.nodes.find((n) => n.meta.name === pod.nodeName)!) : podSockets(pod);
  }
  // Established connections are not kept between commands: only listeners exist to show.
  if (!listening) socks = [];
  socks = socks.filter((s) => (s.proto === 'tcp' ? tcp : udp));
  const order = (s: Sock) => `${s.proto === 'tcp' ? 0 : 1}`;
  socks.sort((a, b) => order(a).localeCompare(order(b)));
  const netid = tcp && udp;
  const rows = socks.map((s) => {
    const peer = s.addr.startsWith('[') ? '[::]:' : s.addr === '*' ? '*:' : '0.0.0.0:';
    const row = [...(netid ? [s.proto] : []), s.proto === 'udp' ? 'UNCONN' : 'LISTEN', '0', String(s.backlog), `${s.addr}:`, String(s.port), peer, '*'];
    if (processes) row.push(`users:(("${s.process}",pid=${s.pid},fd=${s.fd}))`);
    return row;
  });
  return out(render(rows, netid, true));
};
