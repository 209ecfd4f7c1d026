/**
 * Netfilter and Service-proxy tools on a node (and in the pods that ship them: kube-proxy's
 * image has iptables, the cilium agent has cilium-dbg): `iptables-save [-t T]`,
 * `iptables [-t T] -L [CHAIN] [-n] [-v] [-x] [--line-numbers]` / `-S [CHAIN]`, `ipvsadm -Ln`,
 * `nft list table ip kube-proxy` / `nft list ruleset` / `nft list tables`, `conntrack -L`
 * (the flows this session's traces created on the node), `cilium service list`,
 * `cilium bpf lb list`, and the writing forms `sysctl -w KEY=VALUE` and
 * `bridge link set dev PORT hairpin on|off` that change the node for the rest of the session
 * (stored in cluster.nodeSysctls; the network is rebuilt from the new cluster object).
 */
import type { Cluster } from '../model/cluster';
import { netnsId } from '../model/ids';
import { carryJournal, conntrackEntries, conntrackList, iptablesL, iptablesS, iptablesSave, ipvsadmList, rulesetOf, viewsOf } from '../kubeproxy/index';
import type { Table } from '../kubeproxy/rules';
import { nftListTable } from '../kubeproxy/nftables';
import { ciliumBpfLbList, ciliumServiceList } from '../kubeproxy/cilium';
import { formatIpv4, parseIpv4 } from '../addressing/ipv4';
import { findPod } from './files';
import { bridge as bridgeCmd, netnsOf, sysctl as sysctlCmd } from './netcmds';
import { fail, out, type Ctx, type Handler } from './types';

/** The node whose root namespace a place runs in (undefined inside a pod's own namespace). */
function nodeOf(ctx: Ctx): string | undefined {
  const p = ctx.place;
  if (p.kind === 'node') return p.node;
  if (p.kind === 'pod') {
    const pod = findPod(ctx.session.cluster, p.namespace, p.name);
    return pod?.hostNetwork ? pod.nodeName : undefined;
  }
  return undefined;
}

const TABLES: Table[] = ['raw', 'mangle', 'filter', 'nat'];

function emptySave(table: Table | undefined): string {
  if (!table || table === 'raw') return '';
  const chains = { mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'], nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'], filter: ['INPUT', 'FORWARD', 'OUTPUT'] }[table];
  return `*${table}\n${chains.map((c) => `:${c} ACCEPT [0:0]`).join('\n')}\nCOMMIT\n`;
}

export const iptablesSaveCmd: Handler = (args, ctx) => {
  let table: Table | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t' || a === '--table') table = args[++i] as Table;
    else if (a.startsWith('--table=')) table = a.slice(8) as Table;
  }
  if (table && !TABLES.includes(table)) return fail(`iptables-save v1.8.9 (legacy): Cannot initialize: Table does not exist (do you need to insmod?)`);
  const node = nodeOf(ctx);
  if (!node) return out(emptySave(table));
  return out(iptablesSave(ctx.session.cluster, node, table));
};

export const iptablesCmd: Handler = (args, ctx) => {
  let table: Table = 'filter';
  let op: 'L' | 'S' | undefined;
  let chain: string | undefined;
  let verbose = false;
  let lineNumbers = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t' || a === '--table') table = args[++i] as Table;
    else if (a === '--line-numbers') lineNumbers = true;
    else if (a === '--list' || a === '--list-rules') op = a === '--list' ? 'L' : 'S';
    else if (a === '--numeric' || a === '--verbose' || a === '--exact') verbose ||= a === '--verbose';
    else if (/^-[A-Za-z]+$/.test(a)) {
      for (const ch of a.slice(1)) {
        if (ch === 'L' || ch === 'S') op = ch;
        else if (ch === 'v') verbose = true;
        else if (ch === 'n' || ch === 'x') continue;
        else if (ch === 't') table = args[++i] as Table;
        else return fail(`iptables v1.8.9 (legacy): unknown option "-${ch}"\nTry \`iptables -h' or 'iptables --help' for more information.`, 2);
      }
    } else if (op && chain === undefined) chain = a;
    else return fail(`Bad argument \`${a}'\nTry \`iptables -h' or 'iptables --help' for more information.`, 2);
  }
  if (!TABLES.includes(table)) return fail(`iptables v1.8.9 (legacy): can't initialize iptables table \`${table}': Table does not exist (do you need to insmod?)\nPerhaps iptables or your kernel needs to be upgraded.`, 3);
  if (!op) return fail(`iptables v1.8.9 (legacy): no command specified\nTry \`iptables -h' or 'iptables --help' for more information.`, 2);
  const node = nodeOf(ctx);
  if (!node || table === 'raw') return out(op === 'S' ? '' : '');
  const r = op === 'S' ? iptablesS(ctx.session.cluster, node, table, chain) : iptablesL(ctx.session.cluster, node, table, chain, { verbose, lineNumbers });
  return typeof r === 'string' ? out(r) : fail(r.error, 1);
};

export const ipvsadmCmd: Handler = (args, ctx) => {
  const node = nodeOf(ctx);
  const rs = node ? rulesetOf(ctx.session.cluster, node) : undefined;
  if (!rs?.ipvs) return fail("Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?", 1);
  void args;
  return out(ipvsadmList(rs.ipvs));
};

export const nftCmd: Handler = (args, ctx) => {
  const node = nodeOf(ctx);
  const cluster = ctx.session.cluster;
  const words = args.filter((a) => !a.startsWith('-'));
  const nftables = cluster.config.kubeProxy === 'nftables' && node;
  const text = () => {
    const n = cluster.nodes.find((x) => x.meta.name === node)!;
    return nftListTable({ views: viewsOf(cluster, node!), clusterCIDR: cluster.config.podCIDR, serviceCIDR: cluster.config.serviceCIDR, nodeIps: [n.ip] });
  };
  if (words[0] !== 'list') return fail(`Error: syntax error, unexpected ${words[0] ?? 'end of file'}`, 1);
  if (words[1] === 'tables') return out(nftables ? 'table ip kube-proxy\n' : '');
  if (words[1] === 'ruleset') return out(nftables ? text() : '');
  if (words[1] === 'table') {
    const [family, name] = words.length >= 4 ? [words[2], words[3]] : ['ip', words[2]];
    if (nftables && family === 'ip' && name === 'kube-proxy') return out(text());
    const cmd = `list table ${words.slice(2).join(' ')}`;
    return fail(`Error: No such file or directory\n${cmd}\n${' '.repeat(cmd.length - (name ?? '').length)}${'^'.repeat((name ?? '').length)}`, 1);
  }
  return fail(`Error: syntax error, unexpected ${words[1] ?? 'end of file'}`, 1);
};

export const conntrackCmd: Handler = (args, ctx) => {
  if (!args.some((a) => a === '-L' || a === '--dump' || a === '-n')) return fail('conntrack v1.4.7 (conntrack-tools): no command specified. Please, use -L to list the table', 2);
  const node = nodeOf(ctx);
  const ns = ctx.place.kind === 'netns' ? netnsId.pod(ctx.place.namespace, ctx.place.name) : node ? netnsId.node(node) : undefined;
  let entries = ns ? conntrackEntries(ctx.session.cluster, ns) : [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (a === '-p' || a === '--proto') entries = entries.filter((e) => e.orig.proto === v?.toLowerCase());
    else if (a === '-s' || a === '--src' || a === '--orig-src') entries = entries.filter((e) => e.orig.src === parseIpv4(v ?? ''));
    else if (a === '-d' || a === '--dst' || a === '--orig-dst') entries = entries.filter((e) => e.orig.dst === parseIpv4(v ?? ''));
    else if (a === '--dport' || a === '--orig-port-dst') entries = entries.filter((e) => e.orig.dport === Number(v));
  }
  const r = conntrackList(entries);
  return out(r.stdout, r.stderr);
};

/** `cilium` / `cilium-dbg` inside an agent pod (hostNetwork, on its node). */
export const ciliumCmd: Handler = (args, ctx) => {
  const node = nodeOf(ctx);
  const cluster = ctx.session.cluster;
  if (!node) return fail('Error: Cannot get cilium agent status: connection refused', 1);
  const n = cluster.nodes.find((x) => x.meta.name === node)!;
  const views = viewsOf(cluster, node);
  const w = args.filter((a) => !a.startsWith('-'));
  if (w[0] === 'service' && (w[1] === 'list' || w[1] === 'ls')) return out(ciliumServiceList(views, [n.ip]));
  if (w[0] === 'bpf' && w[1] === 'lb' && (w[2] === 'list' || w[2] === 'ls')) return out(ciliumBpfLbList(views, [n.ip]));
  return fail(`Error: unknown command "${w.join(' ')}" for "cilium-dbg"\nRun 'cilium-dbg --help' for usage.`, 1);
};

function withNodeSetting(cluster: Cluster, node: string, key: string, value: string): Cluster {
  const all = { ...(cluster.nodeSysctls ?? {}) };
  all[node] = { ...(all[node] ?? {}), [key]: value };
  const next: Cluster = { ...cluster, nodeSysctls: all };
  carryJournal(cluster, next);
  return next;
}

/** `sysctl -w KEY=VALUE` (and `sysctl KEY=VALUE`) on a node changes it; every other form is the read-only sysctl. */
export const nodeSysctl: Handler = (args, ctx) => {
  const node = ctx.place.kind === 'node' ? ctx.place.node : undefined;
  const writes = args.filter((a) => !a.startsWith('-') && a.includes('='));
  if (!node || !writes.length) return sysctlCmd(args, ctx);
  const quiet = args.includes('-q');
  let stdout = '';
  let stderr = '';
  const ns = netnsOf(ctx, ctx.place);
  for (const w of writes) {
    const [k0, ...rest] = w.split('=');
    const key = k0.trim().replace(/\//g, '.');
    const value = rest.join('=').trim();
    if (ns && ns.sysctl[key] === undefined && !/^net\.ipv4\.(ip_forward|conf\.)|^net\.bridge\./.test(key)) {
      stderr += `sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory\n`;
      continue;
    }
    ctx.session.cluster = withNodeSetting(ctx.session.cluster, node, key, value);
    if (!quiet) stdout += `${key} = ${value}\n`;
  }
  return out(stdout, stderr, stderr ? 255 : 0);
};

/** `bridge link set dev PORT hairpin on|off` changes the port; the rest is the read-only `bridge`. */
export const nodeBridge: Handler = (args, ctx) => {
  const node = ctx.place.kind === 'node' ? ctx.place.node : undefined;
  if (!node || args[0] !== 'link' || args[1] !== 'set') return bridgeCmd(args, ctx);
  const dev = args[args.indexOf('dev') + 1];
  const h = args.indexOf('hairpin');
  const ns = netnsOf(ctx, ctx.place);
  if (!dev || !ns?.links.some((l) => l.name === dev)) return fail(`Cannot find device "${dev ?? ''}"`, 1);
  if (h < 0 || !['on', 'off'].includes(args[h + 1])) return fail('Usage: bridge link set dev DEV [ hairpin {on | off} ] ...', 255);
  ctx.session.cluster = withNodeSetting(ctx.session.cluster, node, `/sys/class/net/${dev}/brport/hairpin_mode`, args[h + 1] === 'on' ? '1' : '0');
  return out();
};

export const NODE_NETFILTER_COMMANDS: Record<string, Handler> = {
  'iptables-save': iptablesSaveCmd,
  'iptables-legacy-save': iptablesSaveCmd,
  iptables: iptablesCmd,
  'iptables-legacy': iptablesCmd,
  ipvsadm: ipvsadmCmd,
  nft: nftCmd,
  conntrack: conntrackCmd,
  sysctl: nodeSysctl,
  bridge: nodeBridge,
};

/** Pods whose image carries these tools: kube-proxy (iptables, ipvsadm, conntrack), the cilium agent (cilium-dbg). */
export function podNetfilterCommands(image: string): Record<string, Handler> {
  if (/kube-proxy/.test(image)) return { 'iptables-save': iptablesSaveCmd, iptables: iptablesCmd, ipvsadm: ipvsadmCmd, conntrack: conntrackCmd, nft: nftCmd };
  if (/cilium\/cilium/.test(image)) return { cilium: ciliumCmd, 'cilium-dbg': ciliumCmd, 'iptables-save': iptablesSaveCmd, iptables: iptablesCmd };
  return {};
}

void formatIpv4;
