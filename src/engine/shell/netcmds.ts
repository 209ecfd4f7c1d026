/**
 * The Linux network tools over the simulated namespaces: `ip` (iproute2 on nodes and tool
 * images, busybox's applet in busybox/alpine pods), `bridge`, `sysctl`, `hostname`.
 * Argument parsing follows iproute2's: objects and commands match by prefix in iproute2's
 * table order (`ip r` is route, not rule), `dev` may be omitted for `ip addr show eth0`.
 */
import { formatIpv4, parseIpv4 } from '../addressing/ipv4';
import { networkOf } from '../cni/network';
import { netnsId } from '../model/ids';
import type { Netns } from '../model/netns';
import { findPod } from './files';
import { learnedNeighbors } from './neighCache';
import { bridgeFdb, bridgeLink, ipAddr, ipBrief, ipLink, ipNeigh, ipNetnsList, ipRoute, ipRouteGet, ipRule, parseLinkSetMtu, type IpFlavor } from './iproute2';
import { withLinkMtu } from '../cni/linkMtus';
import { carryJournal } from '../kubeproxy/index';
import { fail, out, type Ctx, type Handler, type Place } from './types';

/** The network namespace a place runs in (a hostNetwork pod and a node debugger share the node's). */
export function netnsOf(ctx: Pick<Ctx, 'session'>, place: Place): Netns | undefined {
  const cluster = ctx.session.cluster;
  const net = networkOf(cluster);
  if (place.kind === 'node') return net.get(netnsId.node(place.node));
  if (place.kind === 'netns') return net.get(netnsId.pod(place.namespace, place.name));
  if (place.kind === 'pod') {
    const pod = findPod(cluster, place.namespace, place.name);
    if (!pod) return undefined;
    if (pod.hostNetwork) return net.get(netnsId.node(pod.nodeName));
    return net.get(netnsId.pod(place.namespace, place.name));
  }
  return undefined;
}

export function flavorOf(place: Place): IpFlavor {
  return place.kind === 'pod' && place.tools === 'busybox' ? 'busybox' : 'iproute2';
}

/** iproute2's object table order (ip/ip.c cmds[]): the first whose name starts with the word wins. */
const IP_OBJECTS = ['address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbor', 'neighbour', 'ntable', 'link', 'l2tp', 'fou', 'ila', 'macsec', 'tunnel', 'tuntap', 'token', 'tcp_metrics', 'monitor', 'xfrm', 'mroute', 'mrule', 'netns', 'netconf', 'vrf', 'sr', 'nexthop', 'mptcp', 'ioam', 'stats'];
const BUSYBOX_OBJECTS = ['address', 'route', 'link', 'tunnel', 'neigh', 'rule'];

function matchObject(word: string, table: string[]): string | undefined {
  return table.find((o) => o.startsWith(word));
}

const IP_USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | fou | help | ila | ioam | l2tp | link |
                   macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

export const ip: Handler = (args, ctx) => {
  const ns = netnsOf(ctx, ctx.place);
  const flavor = flavorOf(ctx.place);
  if (!ns) return fail('Cannot open netlink socket: Operation not permitted', 1);
  let details = false;
  let family4 = false;
  let brief = false;
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const o = args[i].replace(/^--?/, '');
    if ('details'.startsWith(o) && o.length >= 1 && o[0] === 'd') details = true;
    else if (o === '4') family4 = true;
    else if (o === '6' || o === '0') continue;
    else if (o === 'br' || o === 'brief') brief = true;
    else if (o === 'c' || o.startsWith('color') || o === 'o' || o === 'oneline' || o === 'n' || o === 's' || o === 'statistics') continue;
    else return fail(`Option "${args[i]}" is unknown, try "ip -help".`, 255);
  }
  if (i >= args.length) return fail(IP_USAGE.trimEnd(), 255);
  const object = matchObject(args[i], flavor === 'busybox' ? BUSYBOX_OBJECTS : IP_OBJECTS);
  if (!object) return flavor === 'busybox' ? fail(`ip: invalid argument '${args[i]}' to 'ip'`) : fail(`Object "${args[i]}" is unknown, try "ip help".`, 255);
  const rest = args.slice(i + 1);
  let cmd = 'show';
  if (rest.length && /^(show|list|lst|ls|sh|get)$/.test(rest[0])) cmd = rest.shift() === 'get' ? 'get' : 'show';
  else if (rest.length && /^(add|del|delete|change|replace|set|flush|append)$/.test(rest[0])) {
    if (object === 'link' && rest[0] === 'set' && mayAdminNetwork(ctx)) return linkSet(ctx, ns, rest.slice(1));
    return fail('RTNETLINK answers: Operation not permitted', 2);
  }
  // Keyword arguments.
  const kv: Record<string, string> = {};
  const bare: string[] = [];
  for (let j = 0; j < rest.length; j++) {
    const w = rest[j];
    if (/^(dev|type|table|master|to|scope|proto|from)$/.test(w) && j + 1 < rest.length) kv[w] = rest[++j];
    else if (w === 'up') kv.up = '1';
    else bare.push(w);
  }
  switch (object) {
    case 'address':
    case 'link': {
      const dev = kv.dev ?? bare[0];
      if (brief) return ipBrief(ns, object === 'address');
      const f = { dev, type: kv.type, master: kv.master, details, family4 };
      return object === 'address' ? ipAddr(ns, f, flavor) : ipLink(ns, f, flavor);
    }
    case 'route': {
      if (cmd === 'get') {
        const target = bare[0] ?? kv.to;
        const addr = target === undefined ? null : parseIpv4(target);
        if (addr === null) return fail(target === undefined ? 'need at least a destination address' : `Error: inet prefix is expected rather than "${target}".`, 1);
        return ipRouteGet(ns, addr);
      }
      let table = kv.table;
      if (table === 'all' || table === '0') table = 'all';
      return ipRoute(ns, { table, dev: kv.dev }, flavor);
    }
    case 'rule':
      return ipRule(ns);
    case 'neighbor':
    case 'neighbour':
    case 'neigh':
      // The static entries the plugin made, then what ARP learned from the session's traffic.
      return ipNeigh({ ...ns, neighbors: [...ns.neighbors, ...learnedNeighbors(ctx.session, ns)] }, kv.dev);
    case 'netns':
      return ns.kind === 'node' ? ipNetnsList(ns) : out();
    default:
      return fail(`Command "${rest[0] ?? cmd}" is unknown, try "ip ${object} help".`, 255);
  }
};

/**
 * CAP_NET_ADMIN in the place's network namespace: root on a node (ssh, nsenter), or a container
 * that is privileged or adds NET_ADMIN (or ALL). Everyone else gets EPERM from the kernel.
 */
function mayAdminNetwork(ctx: Ctx): boolean {
  const place = ctx.place;
  if (place.kind === 'netns') return true;
  if (place.kind === 'node') return place.via === 'ssh';
  if (place.kind !== 'pod') return false;
  const pod = findPod(ctx.session.cluster, place.namespace, place.name);
  const c = pod?.containers.find((x) => x.name === place.container) ?? pod?.containers[0];
  return !!c?.securityContext && (c.securityContext.privileged === true || (c.securityContext.capabilities?.add ?? []).some((cap) => ['NET_ADMIN', 'CAP_NET_ADMIN', 'ALL'].includes(cap)));
}

/** `ip link set DEV mtu N`: stored in Cluster.linkMtus; the network is rebuilt from the new cluster object. */
function linkSet(ctx: Ctx, ns: Netns, args: string[]) {
  const r = parseLinkSetMtu(ns, args);
  if ('error' in r) return fail(r.error, r.status);
  const next = withLinkMtu(ctx.session.cluster, ns.id, r.dev, r.mtu);
  carryJournal(ctx.session.cluster, next);
  ctx.session.cluster = next;
  return out();
}

export const bridge: Handler = (args, ctx) => {
  const ns = netnsOf(ctx, ctx.place);
  if (!ns) return fail('Cannot open netlink socket: Operation not permitted');
  const rest = args.filter((a) => !/^-(d|details|s|c|color)$/.test(a));
  const object = rest[0];
  const tail = rest.slice(1).filter((a) => !/^(show|list|lst|ls)$/.test(a));
  const kv: Record<string, string> = {};
  for (let j = 0; j < tail.length; j++) if (/^(dev|br|brport)$/.test(tail[j])) kv[tail[j]] = tail[++j];
  if (object === undefined) return fail('Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { link | fdb | mdb | vlan | vni | monitor }\n       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |\n                    -o[neline] | -t[imestamp] | -n[etns] name |\n                    -com[pressvlans] -c[olor] -p[retty] -j[son] }', 255);
  if ('link'.startsWith(object)) return bridgeLink(ns, kv.dev);
  if ('fdb'.startsWith(object)) return bridgeFdb(ns, { dev: kv.dev ?? kv.brport, br: kv.br });
  if ('vlan'.startsWith(object)) return out('port              vlan-id  \n');
  return fail(`Object "${object}" is unknown, try "bridge help".`, 255);
};

export const sysctl: Handler = (args, ctx) => {
  const ns = netnsOf(ctx, ctx.place);
  const values: Record<string, string> = { ...(ns?.sysctl ?? {}) };
  values['net.ipv4.ip_forward'] ??= ctx.place.kind === 'pod' ? '1' : '1';
  let valueOnly = false;
  let all = false;
  const keys: string[] = [];
  for (const a of args) {
    if (a === '-n') valueOnly = true;
    else if (a === '-a' || a === '-A' || a === '--all') all = true;
    else if (a.startsWith('-')) continue;
    else keys.push(a.replace(/\//g, '.'));
  }
  const line = (k: string) => (valueOnly ? `${values[k]}\n` : `${k} = ${values[k]}\n`);
  if (all) return out(Object.keys(values).sort().map(line).join(''));
  let stdout = '';
  let stderr = '';
  let status = 0;
  for (const k of keys) {
    if (k.includes('=')) {
      stderr += `sysctl: permission denied on key "${k.split('=')[0]}"\n`;
      status = 255;
      continue;
    }
    // A directory of /proc/sys (`net.bridge`): procps sysctl walks it and prints every key under it.
    const under = values[k] === undefined ? Object.keys(values).filter((x) => x.startsWith(`${k}.`)).sort() : [k];
    if (!under.length) {
      stderr += `sysctl: cannot stat /proc/sys/${k.replace(/\./g, '/')}: No such file or directory\n`;
      status = 255;
    } else stdout += under.map(line).join('');
  }
  return out(stdout, stderr, status);
};

export const hostname: Handler = (args, ctx) => {
  const place = ctx.place;
  const ns = netnsOf(ctx, place);
  let name = ns?.hostname ?? '';
  if (place.kind === 'pod') {
    const pod = findPod(ctx.session.cluster, place.namespace, place.name);
    name = pod?.hostNetwork ? pod.nodeName : pod?.hostname ?? place.name;
  } else if (place.kind === 'node' || place.kind === 'netns') name = place.node;
  const ips = (ns?.links ?? []).filter((l) => l.kind !== 'loopback').flatMap((l) => l.addrs.filter((a) => a.scope === 'global').map((a) => formatIpv4(a.ip)));
  if (args.includes('-i')) return out(`${ips[0] ?? '127.0.1.1'}\n`);
  if (args.includes('-I')) return out(ips.join(' ') + ' \n');
  if (args.includes('-f') || args.includes('--fqdn')) return out(`${name}\n`);
  if (args.length && !args[0].startsWith('-')) return fail('hostname: you must be root to change the host name');
  return out(`${name}\n`);
};
