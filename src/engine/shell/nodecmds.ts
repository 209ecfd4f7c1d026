/**
 * Node-side container tools: `crictl ps|pods|inspect|inspectp` (containerd's view of the pods
 * on this node) and `nsenter -t PID -n CMD` (run CMD in the network namespace of the process
 * PID, i.e. the pod that owns it). Process ids: the sandbox's is `pod.pid`, container i's is
 * `pod.pid + 1 + i`; pid 1 is the node's init (the root namespace).
 */
import { compileRe2 } from '../util/regex';
import { networkOf } from '../cni/network';
import { netnsId } from '../model/ids';
import type { PodRec } from '../model/cluster';
import { containerIdOf, fullImage, imageDigest, sandboxIdOf } from './kubectl/objects';
import { tabwrite } from './tabwriter';
import { createdAt, rfc3339 } from './time';
import { fail, out, type Ctx, type Handler, type Place } from './types';

export function podsOnNode(ctx: Ctx, node: string): PodRec[] {
  const pods: PodRec[] = [];
  for (const p of ctx.session.cluster.pods.values()) if (p.nodeName === node && p.phase === 'Running') pods.push(p);
  return pods;
}

function nodeOf(place: Place): string | undefined {
  return place.kind === 'node' || place.kind === 'netns' ? place.node : undefined;
}

/** go-units HumanDuration, as crictl's CREATED column uses it (`5 minutes ago`). */
export function unitsHumanDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const minutes = Math.floor(s / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(s / 3600 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(s / 3600 / 24 / 365)} years`;
}

/** crictl's table writer: tabwriter.NewWriter(os.Stdout, 20, 1, 3, ' ', 0). */
const CRICTL_TABS = { minwidth: 20, padding: 3 };

interface ContainerRow {
  pod: PodRec;
  index: number;
  id: string;
}

function containersOn(ctx: Ctx, node: string): ContainerRow[] {
  const rows: ContainerRow[] = [];
  for (const pod of podsOnNode(ctx, node)) pod.containers.forEach((_c, i) => rows.push({ pod, index: i, id: containerIdOf(pod, i) }));
  return rows;
}

function findContainer(ctx: Ctx, node: string, id: string): ContainerRow | undefined {
  return containersOn(ctx, node).find((r) => r.id.startsWith(id) || r.pod.containers[r.index].name === id);
}

function inspectJson(row: ContainerRow): string {
  const pod = row.pod;
  const c = pod.containers[row.index];
  const created = rfc3339(createdAt(pod.meta) + 2);
  const labels = {
    'io.kubernetes.container.name': c.name,
    'io.kubernetes.pod.name': pod.meta.name,
    'io.kubernetes.pod.namespace': pod.meta.namespace ?? 'default',
    'io.kubernetes.pod.uid': pod.meta.uid,
  };
  const doc = {
    status: {
      id: row.id,
      metadata: { attempt: 0, name: c.name },
      state: 'CONTAINER_RUNNING',
      createdAt: created.replace('Z', '.000000000Z'),
      startedAt: created.replace('Z', '.100000000Z'),
      finishedAt: '0001-01-01T00:00:00Z',
      exitCode: 0,
      image: { annotations: {}, image: fullImage(c.image), runtimeHandler: '', userSpecifiedImage: '' },
      imageRef: `${fullImage(c.image).replace(/:[^:/]+$/, '')}@${imageDigest(c.image)}`,
      reason: '',
      message: '',
      labels,
      annotations: { 'io.kubernetes.container.restartCount': '0', 'io.kubernetes.container.terminationMessagePath': '/dev/termination-log', 'io.kubernetes.container.terminationMessagePolicy': 'File', 'io.kubernetes.pod.terminationGracePeriod': '30' },
      mounts: [],
      logPath: `/var/log/pods/${pod.meta.namespace ?? 'default'}_${pod.meta.name}_${pod.meta.uid}/${c.name}/0.log`,
      resources: null,
    },
    info: {
      sandboxID: sandboxIdOf(pod),
      pid: pod.pid + 1 + row.index,
      removing: false,
      snapshotKey: row.id,
      snapshotter: 'overlayfs',
      runtimeType: 'io.containerd.runc.v2',
      runtimeOptions: { systemd_cgroup: true },
      config: { metadata: { name: c.name }, image: { image: imageDigest(c.image) }, labels, log_path: `${c.name}/0.log`, linux: {} },
    },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export const crictl: Handler = (args, ctx) => {
  const node = nodeOf(ctx.place);
  if (!node) return fail('crictl: command not found', 127);
  const sub = args[0];
  const rest = args.slice(1);
  const now = ctx.session.cluster.now;
  const quiet = rest.includes('-q') || rest.includes('--quiet');
  const flagValue = (flag: string) => {
    const i = rest.findIndex((a) => a === flag);
    return i >= 0 ? rest[i + 1] : rest.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  const nameFilter = flagValue('--name');
  const podFilter = flagValue('--pod');
  switch (sub) {
    case 'ps': {
      let rows = containersOn(ctx, node);
      // crictl's filterContainersList: regexp.MatchString(--name, container name); a pattern Go
      // refuses matches no container (the error is dropped). --pod selects by sandbox ID prefix.
      if (nameFilter) {
        const re = compileRe2(nameFilter);
        rows = rows.filter((r) => re.ok && re.regex.test(r.pod.containers[r.index].name));
      }
      if (podFilter) rows = rows.filter((r) => sandboxIdOf(r.pod).startsWith(podFilter));
      if (quiet) return out(rows.map((r) => r.id + '\n').join(''));
      let t = 'CONTAINER\tIMAGE\tCREATED\tSTATE\tNAME\tATTEMPT\tPOD ID\tPOD\n';
      // Newest first, as containerd lists them.
      for (const r of [...rows].reverse()) {
        const c = r.pod.containers[r.index];
        t += `${r.id.slice(0, 13)}\t${imageDigest(c.image).slice(7, 20)}\t${unitsHumanDuration(now - createdAt(r.pod.meta) - 2)} ago\tRunning\t${c.name}\t0\t${sandboxIdOf(r.pod).slice(0, 13)}\t${r.pod.meta.name}\n`;
      }
      return out(tabwrite(t, CRICTL_TABS));
    }
    case 'pods': {
      const pods = [...podsOnNode(ctx, node)].reverse();
      if (quiet) return out(pods.map((p) => sandboxIdOf(p) + '\n').join(''));
      let t = 'POD ID\tCREATED\tSTATE\tNAME\tNAMESPACE\tATTEMPT\tRUNTIME\n';
      for (const p of pods) t += `${sandboxIdOf(p).slice(0, 13)}\t${unitsHumanDuration(now - createdAt(p.meta))} ago\tReady\t${p.meta.name}\t${p.meta.namespace ?? 'default'}\t0\t(default)\n`;
      return out(tabwrite(t, CRICTL_TABS));
    }
    case 'inspect': {
      const ids = rest.filter((a) => !a.startsWith('-'));
      if (!ids.length) return fail('time="2024-01-01T00:00:00Z" level=fatal msg="ID cannot be empty"');
      let s = '';
      for (const id of ids) {
        const row = findContainer(ctx, node, id);
        if (!row) return fail(`time="2024-01-01T00:00:00Z" level=fatal msg="getting the status of the container \\"${id}\\": rpc error: code = NotFound desc = an error occurred when try to find container \\"${id}\\": not found"`);
        s += inspectJson(row);
      }
      return out(s);
    }
    case 'inspectp': {
      const id = rest.find((a) => !a.startsWith('-'));
      const pod = podsOnNode(ctx, node).find((p) => id && (sandboxIdOf(p).startsWith(id) || p.meta.name === id));
      if (!pod) return fail(`time="2024-01-01T00:00:00Z" level=fatal msg="getting the pod sandbox status for \\"${id ?? ''}\\": rpc error: code = NotFound desc = an error occurred when try to find sandbox: not found"`);
      const doc = { status: { id: sandboxIdOf(pod), metadata: { attempt: 0, name: pod.meta.name, namespace: pod.meta.namespace ?? 'default', uid: pod.meta.uid }, state: 'SANDBOX_READY', network: { additionalIps: [], ip: pod.attachment ? ipText(pod.attachment.ip) : '' } }, info: { pid: pod.pid } };
      return out(JSON.stringify(doc, null, 2) + '\n');
    }
    case undefined:
      return out('NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n');
    default:
      return fail(`No help topic for '${sub}'`, 3);
  }
};

function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** The pod whose sandbox or container process has this pid, on this node. */
export function podByPid(ctx: Ctx, node: string, pid: number): PodRec | undefined {
  return podsOnNode(ctx, node).find((p) => pid >= p.pid && pid <= p.pid + p.containers.length);
}

export const nsenter: Handler = (args, ctx) => {
  const node = nodeOf(ctx.place);
  if (!node) return fail('nsenter: command not found', 127);
  let pid: number | undefined;
  let net = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-t' || a === '--target') pid = Number(args[++i]);
    else if (a.startsWith('--target=')) pid = Number(a.slice(9));
    else if (/^-t\d+$/.test(a)) pid = Number(a.slice(2));
    else if (a === '-n' || a === '--net' || a === '-a' || a === '--all') net = true;
    else if (/^-[a-zA-Z]+$/.test(a)) {
      if (a.includes('n') || a.includes('a')) net = true;
      if (a.endsWith('t')) pid = Number(args[++i]);
    } else if (a.startsWith('-')) continue;
    else break;
  }
  const cmd = args.slice(i);
  if (pid === undefined || Number.isNaN(pid)) return fail('nsenter: neither filename nor target pid supplied for ns/net');
  let place: Place;
  if (pid === 1) place = ctx.place.kind === 'netns' ? { kind: 'node', node, via: 'ssh' } : ctx.place;
  else {
    const pod = podByPid(ctx, node, pid);
    if (!pod) return fail(`nsenter: cannot open /proc/${pid}/ns/net: No such file or directory`);
    place = pod.hostNetwork || !net ? { kind: 'node', node, via: 'ssh' } : { kind: 'netns', node, namespace: pod.meta.namespace ?? 'default', name: pod.meta.name };
  }
  if (cmd.length === 0) {
    ctx.session.places.push(place);
    return out();
  }
  return ctx.runIn(place, cmd.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' '), ctx.stdin);
};

/**
 * One loaded module as /proc/modules gives it to lsmod. Sizes are those an Ubuntu 22.04 node
 * (5.15 generic kernel) prints, as public `lsmod` transcripts of kubeadm installs show them.
 */
interface Module {
  name: string;
  size: number;
  /** Modules that use this one (lsmod's "Used by" list). */
  users: string[];
}

/**
 * `lsmod` on a node: the modules its state needs — overlay (containerd's snapshotter),
 * br_netfilter and the bridge stack (the kubeadm prerequisites; `net.bridge.*` keys exist only
 * while br_netfilter is loaded, and the node has them), the conntrack/NAT modules kube-proxy's
 * rules load, vxlan / ipip / wireguard when the node has such a device, ip_vs in IPVS mode.
 */
export const lsmod: Handler = (_args, ctx) => {
  const ns = netnsOfNode(ctx);
  if (!ns) return fail('lsmod: ERROR: could not open /proc/modules: No such file or directory', 1);
  const kinds = new Set(ns.links.map((l) => l.kind));
  const mods: Module[] = [];
  const add = (name: string, size: number, users: string[] = []) => mods.push({ name, size, users });
  if (kinds.has('wireguard')) {
    add('wireguard', 98304);
    add('curve25519_x86_64', 36864, ['wireguard']);
    add('libchacha20poly1305', 16384, ['wireguard']);
  }
  if (kinds.has('vxlan')) {
    add('vxlan', 86016);
    add('ip6_udp_tunnel', 16384, ['vxlan']);
    add('udp_tunnel', 24576, ['vxlan']);
  }
  if (kinds.has('ipip')) {
    add('ipip', 24576);
    add('tunnel4', 16384, ['ipip']);
    add('ip_tunnel', 32768, ['ipip']);
  }
  if (kinds.has('veth')) add('veth', 36864);
  const ipvs = ctx.session.cluster.config.kubeProxy === 'ipvs';
  if (ipvs) {
    add('ip_vs_rr', 16384);
    add('ip_vs', 176128, ['ip_vs_rr']);
  }
  add('xt_MASQUERADE', 20480);
  add('nf_nat', 49152, ['xt_MASQUERADE']);
  add('nf_conntrack', 172032, ['xt_MASQUERADE', 'nf_nat', ...(ipvs ? ['ip_vs'] : [])]);
  add('nf_defrag_ipv6', 24576, ['nf_conntrack', ...(ipvs ? ['ip_vs'] : [])]);
  add('nf_defrag_ipv4', 16384, ['nf_conntrack']);
  const brnf = ns.sysctl['net.bridge.bridge-nf-call-iptables'] !== undefined;
  if (brnf) add('br_netfilter', 32768);
  add('bridge', 307200, brnf ? ['br_netfilter'] : []);
  add('stp', 16384, ['bridge']);
  add('llc', 16384, ['bridge', 'stp']);
  add('overlay', 151552);
  // lsmod (kmod tools/lsmod.c): "%-19s %8lu  %d" then " used,by" — name, size, use count, users.
  const lines = ['Module                  Size  Used by', ...mods.map((m) => `${m.name.padEnd(19)} ${String(m.size).padStart(8)}  ${m.users.length}${m.users.length ? ` ${m.users.join(',')}` : ''}`)];
  return out(`${lines.join('\n')}\n`);
};

function netnsOfNode(ctx: Ctx) {
  const node = ctx.place.kind === 'node' ? ctx.place.node : undefined;
  return node ? networkOf(ctx.session.cluster).get(netnsId.node(node)) : undefined;
}
