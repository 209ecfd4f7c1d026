/**
 * Netns → text, the way the real tools print it: iproute2 (`ip addr|link|route|neigh|rule`,
 * `bridge link|fdb`) and busybox's `ip` applet (what a busybox/alpine pod runs).
 *
 * Shared by the shell and the app's inspector. Pure: a renderer reads one `Netns` and returns
 * text (lines joined with "\n", ending in "\n" when not empty). The trailing spaces are real:
 * iproute2 prints every field as "%s " and then the newline (ip/ipaddress.c, ip/iproute.c,
 * bridge/link.c, bridge/fdb.c); busybox does the same (networking/libiproute/ipaddress.c).
 *
 * Not modelled by the engine and derived here, as the kernel derives them: IPv6 link-local
 * addresses (EUI-64 from the MAC, addrgenmode eui64), the local routing table (from addresses),
 * the three default `ip rule`s.
 */
import { Cidr, formatIpv4 } from '../addressing/ipv4';
import { sha1Hex } from '../util/hash';
import type { IfAddr, Link, Netns, Route, RouteRule } from '../model/netns';

import { formatFdb, formatNeigh, formatRoute, formatRule, type IpFlavor } from '../dataplane/render';

export { formatRoute, type IpFlavor };

export interface LinkFilter {
  dev?: string;
  /** `ip link show type bridge|veth|vxlan|...` (iproute2 kind names). */
  type?: string;
  /** `ip -d` */
  details?: boolean;
  /** `ip -4`: no inet6 lines. */
  family4?: boolean;
  /** `master cni0`: only ports of that bridge. */
  master?: string;
}

const BRD_ETHER = 'ff:ff:ff:ff:ff:ff';

/** iproute2's `type` keyword for a link kind (`ip link show type X`, `ip -d link` first word). */
export function iproute2Kind(link: Link): string | undefined {
  switch (link.kind) {
    case 'veth':
    case 'bridge':
    case 'vxlan':
    case 'wireguard':
    case 'dummy':
    case 'openvswitch':
      return link.kind;
    case 'ipip':
      return 'ipip';
    default:
      return undefined;
  }
}

/** The `link/...` type word. */
function linkType(link: Link): string {
  if (link.kind === 'loopback') return 'loopback';
  if (link.kind === 'ipip') return 'ipip';
  if (link.kind === 'wireguard') return 'none';
  return 'ether';
}

/**
 * Name of a network namespace as containerd creates it for a pod sandbox (`cni-` + a random
 * UUID, pkg/netns/netns_linux.go); ours is derived from the namespace id so it is stable.
 */
export function cniNetnsName(netnsId: string): string {
  const h = sha1Hex(netnsId);
  // UUID v4 layout: version nibble 4, variant bits 10xx.
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `cni-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** EUI-64 IPv6 link-local address of a MAC (RFC 4291 appendix A), in RFC 5952 text form. */
export function linkLocal6(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const groups = [0xfe80, 0, 0, 0, ((b[0] ^ 0x02) << 8) | b[1], (b[2] << 8) | 0xff, 0xfe00 | b[3], (b[4] << 8) | b[5]];
  return formatIpv6(groups);
}

/** RFC 5952: lower case, no leading zeros, the longest run (>1) of zero groups as `::`. */
export function formatIpv6(groups: number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function peerSuffix(ns: Netns, link: Link): string {
  // An IP tunnel bound to no lower device (IFLA_LINK 0: tunl0, Calico's or the kernel's
  // fallback in every namespace) prints `@NONE` (iproute2 ip/ipaddress.c print_linkinfo).
  if (link.kind === 'ipip') return '@NONE';
  if (!link.peer) return '';
  // The peer lives in another namespace, so its index means nothing here: `@ifN`.
  // (A peer in the same namespace would print its name.)
  if (link.peer.netns === ns.id) return `@${link.peer.name}`;
  return `@if${link.peer.ifindex}`;
}

/** The `link-netnsid N` / `link-netns NAME` suffix of a veth whose peer is elsewhere. */
function linkNetns(ns: Netns, link: Link): string {
  if (!link.peer || link.peer.netns === ns.id) return '';
  // On a node, containerd's named namespaces (/var/run/netns/cni-…) are printed by name.
  if (ns.kind === 'node' && link.peer.netns.startsWith('pod/')) return ` link-netns ${cniNetnsName(link.peer.netns)}`;
  return ` link-netnsid ${link.linkNetnsId ?? 0}`;
}

/** tx_queue_len; loopback_setup() gives lo 1000 since Linux 4.x even though it has no queue. */
function qlen(link: Link): number | undefined {
  return link.txqlen ?? (link.kind === 'loopback' ? 1000 : undefined);
}

function flagsText(flags: string[]): string {
  return `<${flags.join(',')}>`;
}

/** The first line of a link as `ip link` / `ip addr` prints it. */
function linkHeader(ns: Netns, link: Link, flavor: IpFlavor, withMode: boolean): string {
  const name = `${link.ifindex}: ${link.name}${peerSuffix(ns, link)}: `;
  if (flavor === 'busybox') {
    // busybox: no `group`/`mode`; `,M-DOWN` when the IFLA_LINK index is not up here
    // (always the case for a veth whose peer is in another namespace).
    const mdown = link.peer && link.peer.netns !== ns.id;
    let s = `${name}<${link.flags.join(',')}${mdown ? ',M-DOWN' : ''}> mtu ${link.mtu} qdisc ${link.qdisc} `;
    if (link.master) s += `master ${link.master} `;
    s += `state ${link.operState} `;
    if (qlen(link)) s += `qlen ${qlen(link)}`;
    return s;
  }
  let s = `${name}${flagsText(link.flags)} mtu ${link.mtu} qdisc ${link.qdisc} `;
  if (link.master) s += `master ${link.master} `;
  s += `state ${link.operState} `;
  if (withMode) s += 'mode DEFAULT ';
  s += 'group default ';
  if (qlen(link)) s += `qlen ${qlen(link)}`;
  return s;
}

const tunnelEndpoint = (ip: number | undefined) => (ip === undefined ? '0.0.0.0' : formatIpv4(ip));

/**
 * A link's hardware address as iproute2 prints it: an IPv4 tunnel's is its local endpoint,
 * 0.0.0.0 when unset (tunl0: `link/ipip 0.0.0.0 brd 0.0.0.0`; ll_addr_n2a prints
 * ARPHRD_TUNNEL addresses as IPv4).
 */
function linkAddress(link: Link): string {
  return link.kind === 'ipip' ? tunnelEndpoint(link.ipip?.local) : link.mac;
}

function linkLayerLine(ns: Netns, link: Link, flavor: IpFlavor, details: boolean): string {
  const type = linkType(link);
  if (type === 'none') return `    link/none ${details ? detailTail() : ''}`;
  const brd = link.kind === 'ipip' ? tunnelEndpoint(link.ipip?.remote) : link.kind === 'loopback' ? '00:00:00:00:00:00' : BRD_ETHER;
  let s = `    link/${type} ${linkAddress(link)} brd ${brd}`;
  if (flavor === 'iproute2') s += linkNetns(ns, link);
  if (details) s += ` ${detailTail()}`;
  return s;
}

/** `promiscuity 0 minmtu 68 maxmtu 65535 ` as iproute2 5.15 (Ubuntu 22.04) prints it. */
function detailTail(): string {
  return 'promiscuity 0 minmtu 68 maxmtu 65535 ';
}

const GSO = 'addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 ';

/** The `ip -d link` line that describes the device kind. */
function detailLine(link: Link): string {
  switch (link.kind) {
    case 'vxlan': {
      const v = link.vxlan!;
      const learn = v.learning ? '' : 'nolearning ';
      if (v.external) return `    vxlan external id ${v.vni} srcport 0 0 dstport ${v.port} ${learn}ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx ${GSO}`;
      return `    vxlan id ${v.vni} local ${formatIpv4(v.local)} dev ${v.dev} srcport 0 0 dstport ${v.port} ${learn}ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx ${GSO}`;
    }
    case 'bridge':
      return `    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 vlan_protocol 802.1Q ${GSO}`;
    case 'ipip': {
      const i = link.ipip ?? {};
      return `    ipip ipip remote ${i.remote !== undefined ? formatIpv4(i.remote) : 'any'} local ${i.local !== undefined ? formatIpv4(i.local) : 'any'} ttl inherit nopmtudisc ${GSO}`;
    }
    case 'wireguard':
      return `    wireguard ${GSO}`;
    case 'dummy':
      return `    dummy ${GSO}`;
    case 'openvswitch':
      return `    openvswitch ${GSO}`;
    default:
      return `    ${GSO}`;
  }
}

function vethDetail(link: Link): string {
  if (!link.master) return `    veth ${GSO}`;
  return (
    '    veth \n' +
    `    bridge_slave state forwarding priority 32 cost 2 hairpin ${link.hairpin ? 'on' : 'off'} guard off root_block off fastleave off learning on flood on mcast_flood on mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off ${GSO}`
  );
}

function selectLinks(ns: Netns, f: LinkFilter): Link[] | string {
  let links = ns.links;
  if (f.dev !== undefined) {
    const l = links.find((x) => x.name === f.dev);
    if (!l) return `Device "${f.dev}" does not exist.`;
    links = [l];
  }
  if (f.type !== undefined) links = links.filter((l) => iproute2Kind(l) === f.type);
  if (f.master !== undefined) links = links.filter((l) => l.master === f.master);
  return links;
}

export interface Rendered {
  stdout: string;
  stderr: string;
  status: number;
}

const ok = (lines: string[]): Rendered => ({ stdout: lines.length ? lines.join('\n') + '\n' : '', stderr: '', status: 0 });
const err = (message: string, status = 1): Rendered => ({ stdout: '', stderr: message + '\n', status });

/** `ip link [show [dev] X] [type T]`, `ip -d link ...` */
export function ipLink(ns: Netns, f: LinkFilter = {}, flavor: IpFlavor = 'iproute2'): Rendered {
  const links = selectLinks(ns, f);
  if (typeof links === 'string') return err(links);
  const out: string[] = [];
  for (const link of links) {
    out.push(linkHeader(ns, link, flavor, true));
    out.push(linkLayerLine(ns, link, flavor, !!f.details && flavor === 'iproute2'));
    if (f.details && flavor === 'iproute2') out.push(link.kind === 'veth' ? vethDetail(link) : detailLine(link));
  }
  return ok(out);
}

function addrLine(a: IfAddr, label: string): string[] {
  let s = `    inet ${formatIpv4(a.ip)}/${a.prefix} `;
  if (a.broadcast !== undefined) s += `brd ${formatIpv4(a.broadcast)} `;
  s += `scope ${a.scope} ${label}`;
  return [s, '       valid_lft forever preferred_lft forever'];
}

function addr6Lines(link: Link): string[] {
  if (link.kind === 'loopback') return ['    inet6 ::1/128 scope host ', '       valid_lft forever preferred_lft forever'];
  if (linkType(link) !== 'ether') return [];
  return [`    inet6 ${linkLocal6(link.mac)}/64 scope link `, '       valid_lft forever preferred_lft forever'];
}

/** `ip addr [show [dev] X]` */
export function ipAddr(ns: Netns, f: LinkFilter = {}, flavor: IpFlavor = 'iproute2'): Rendered {
  const links = selectLinks(ns, f);
  if (typeof links === 'string') return err(links);
  const out: string[] = [];
  for (const link of links) {
    out.push(linkHeader(ns, link, flavor, false));
    out.push(linkLayerLine(ns, link, flavor, !!f.details && flavor === 'iproute2'));
    if (f.details && flavor === 'iproute2') out.push(link.kind === 'veth' ? vethDetail(link) : detailLine(link));
    for (const a of link.addrs) out.push(...addrLine(a, link.name));
    if (!f.family4) out.push(...addr6Lines(link));
  }
  return ok(out);
}

/** `ip -br addr` / `ip -br link` (a common shortcut). */
export function ipBrief(ns: Netns, addrs: boolean): Rendered {
  const out: string[] = [];
  for (const link of ns.links) {
    const name = `${link.name}${link.peer && link.peer.netns === ns.id ? '' : peerSuffix(ns, link)}`;
    if (addrs) {
      const list = [...link.addrs.map((a) => `${formatIpv4(a.ip)}/${a.prefix}`), ...(link.kind === 'loopback' ? ['::1/128'] : linkType(link) === 'ether' ? [`${linkLocal6(link.mac)}/64`] : [])];
      out.push(`${name.padEnd(16)} ${link.operState.padEnd(14)} ${list.join(' ')} `);
    } else {
      out.push(`${name.padEnd(16)} ${link.operState.padEnd(14)} ${linkAddress(link)} ${flagsText(link.flags)} `);
    }
  }
  return ok(out);
}

/**
 * The local table the kernel derives from the addresses (fib_add_ifaddr): `local` for each
 * address (and the loopback net), `broadcast` for each non-/31,/32 subnet's broadcast.
 * Sorted the way the FIB trie is walked: by key, then prefix length.
 */
export function localTable(ns: Netns): Route[] {
  const routes: Route[] = [];
  for (const link of ns.links) {
    if (!link.operState || link.flags.indexOf('UP') < 0) continue;
    for (const a of link.addrs) {
      routes.push({ type: 'local', dst: Cidr.host(a.ip), dev: link.name, proto: 'kernel', scope: 'host', src: a.ip, table: 'local' });
      if (link.kind === 'loopback' && a.prefix < 32) routes.push({ type: 'local', dst: new Cidr(a.ip, a.prefix), dev: link.name, proto: 'kernel', scope: 'host', src: a.ip, table: 'local' });
      if (a.prefix < 31) {
        const bc = a.broadcast ?? new Cidr(a.ip, a.prefix).broadcast;
        routes.push({ type: 'broadcast', dst: Cidr.host(bc), dev: link.name, proto: 'kernel', scope: 'link', src: a.ip, table: 'local' });
      }
    }
  }
  routes.push(...ns.routes.filter((r) => r.table === 'local'));
  return routes.sort((a, b) => a.dst.network - b.dst.network || a.dst.prefix - b.dst.prefix);
}

export interface RouteFilter {
  /** 'main' (default), 'local', 'all', or a number. */
  table?: string;
  dev?: string;
}

/** `ip route [show [table T] [dev D]]` */
export function ipRoute(ns: Netns, f: RouteFilter = {}, flavor: IpFlavor = 'iproute2'): Rendered {
  const table = f.table ?? 'main';
  let routes: Route[];
  if (table === 'local') routes = localTable(ns);
  else if (table === 'all') routes = [...ns.routes.filter((r) => r.table !== 'local'), ...localTable(ns)];
  else routes = ns.routes.filter((r) => (r.table ?? 'main') === table);
  if (f.dev !== undefined) {
    if (!ns.links.some((l) => l.name === f.dev)) return err(`Cannot find device "${f.dev}"`);
    routes = routes.filter((r) => r.dev === f.dev);
  }
  const showTable = table === 'all';
  return ok(
    routes.map((r) => {
      let line = formatRoute(r, flavor, showTable);
      // With `dev X` iproute2 omits the dev field it filtered on.
      if (f.dev !== undefined) line = line.replace(`dev ${f.dev} `, '');
      return line;
    }),
  );
}

/** `ip route get ADDR`: the longest-prefix match in main (what the kernel would pick). */
export function ipRouteGet(ns: Netns, dst: number): Rendered {
  let best: Route | undefined;
  for (const r of ns.routes) {
    if ((r.table ?? 'main') !== 'main' || !r.dst.contains(dst)) continue;
    if (!best || r.dst.prefix > best.dst.prefix) best = r;
  }
  const local = localTable(ns).find((r) => r.type === 'local' && r.dst.contains(dst));
  if (local) return ok([`local ${formatIpv4(dst)} dev lo src ${formatIpv4(local.src!)} uid 0 `, '    cache <local> ']);
  if (!best) return err('RTNETLINK answers: Network is unreachable', 2);
  if (best.type !== 'unicast') return err(`RTNETLINK answers: ${best.type === 'blackhole' ? 'Invalid argument' : 'No route to host'}`, 2);
  const dev = ns.links.find((l) => l.name === best!.dev);
  const src = best.src ?? dev?.addrs[0]?.ip ?? ns.links.find((l) => l.kind !== 'loopback' && l.addrs.length)?.addrs[0].ip;
  let s = `${formatIpv4(dst)} `;
  if (best.via !== undefined) s += `via ${formatIpv4(best.via)} `;
  if (best.dev) s += `dev ${best.dev} `;
  if (src !== undefined) s += `src ${formatIpv4(src)} `;
  s += 'uid 0 ';
  return ok([s, '    cache ']);
}

/** `ip neigh [show [dev X]]` (ip/ipneigh.c: the state follows with a leading space). */
export function ipNeigh(ns: Netns, dev?: string): Rendered {
  if (dev !== undefined && !ns.links.some((l) => l.name === dev)) return err(`Cannot find device "${dev}"`);
  const out: string[] = [];
  for (const n of ns.neighbors) {
    if (dev !== undefined && n.dev !== dev) continue;
    out.push(formatNeigh(n, dev === undefined));
  }
  return ok(out);
}

/** `ip rule`: the namespace's rules plus the kernel's three defaults (fib_default_rules_init). */
export function ipRule(ns: Netns): Rendered {
  const defaults: RouteRule[] = [
    { priority: 0, table: 'local' },
    { priority: 32766, table: 'main' },
    { priority: 32767, table: 'default' },
  ];
  const rules = [...defaults.filter((d) => !ns.rules.some((r) => r.priority === d.priority && r.table === d.table)), ...ns.rules];
  rules.sort((a, b) => a.priority - b.priority);
  // iproute2 ≥ 5.x prints no trailing space after the table name.
  return ok(rules.map((r) => formatRule(r).trimEnd()));
}

/** `bridge link [show]`: the bridge ports (bridge/link.c). */
export function bridgeLink(ns: Netns, dev?: string): Rendered {
  const out: string[] = [];
  for (const l of ns.links) {
    if (!l.master) continue;
    if (dev !== undefined && l.name !== dev) continue;
    const master = ns.links.find((m) => m.name === l.master);
    if (!master || master.kind !== 'bridge') continue;
    out.push(`${l.ifindex}: ${l.name}${peerSuffix(ns, l)}: ${flagsText(l.flags)} mtu ${l.mtu} master ${l.master} state forwarding priority 32 cost 2 `);
  }
  return ok(out);
}

/** `bridge fdb show [dev X | br B]` (bridge/fdb.c; `dev` is omitted when filtered on). */
export function bridgeFdb(ns: Netns, f: { dev?: string; br?: string } = {}): Rendered {
  if (f.dev !== undefined && !ns.links.some((l) => l.name === f.dev)) return err(`Cannot find device "${f.dev}"`);
  const out: string[] = [];
  for (const e of ns.fdb) {
    if (f.dev !== undefined && e.dev !== f.dev) continue;
    if (f.br !== undefined && e.master !== f.br) continue;
    out.push(formatFdb(e, f.dev === undefined));
  }
  return ok(out);
}

/** `ip netns list` on a node: containerd's pod sandboxes, newest first, with their nsid. */
export function ipNetnsList(ns: Netns): Rendered {
  const peers: string[] = [];
  for (const l of ns.links) if (l.peer && l.peer.netns !== ns.id && l.peer.netns.startsWith('pod/') && !peers.includes(l.peer.netns)) peers.push(l.peer.netns);
  return ok(peers.map((p, i) => `${cniNetnsName(p)} (id: ${i})`).reverse());
}

/** A device's largest MTU, as its driver sets `max_mtu` (what `ip link set mtu` is checked against). */
export function maxMtu(ns: Netns, link: Link): number {
  switch (link.kind) {
    // vxlan_change_mtu: at most the lower device's MTU minus VXLAN_HEADROOM (drivers/net/vxlan/vxlan_core.c).
    case 'vxlan': {
      const lower = ns.links.find((l) => l.name === link.vxlan?.dev);
      return lower ? lower.mtu - 50 : 65535;
    }
    // ip_tunnel_change_mtu: IP_MAX_MTU (0xFFFF) minus the 20-byte outer header.
    case 'ipip':
      return 65535 - 20;
    // A NIC: the largest jumbo frame (virtio-net and most cloud NICs stop at 9216 or below).
    case 'ether':
      return 9216;
    default:
      // veth, bridge, dummy: ETH_MAX_MTU (drivers/net/veth.c veth_setup, net/bridge/br_device.c).
      return link.kind === 'loopback' ? 65536 : 65535;
  }
}

/**
 * `ip link set [dev] DEV mtu N`: the device and the new MTU, or iproute2's / the kernel's error.
 * Messages: `Cannot find device "X"` (iproute2 ll_name_to_index), the kernel's extack from
 * dev_validate_mtu (net/core/dev.c: "mtu less than device minimum", "mtu greater than device
 * maximum"), and EINVAL from vxlan's own ndo_change_mtu. Only the MTU is modelled.
 */
export function parseLinkSetMtu(ns: Netns, args: string[]): { dev: string; mtu: number } | { error: string; status: number } {
  let dev: string | undefined;
  let mtu: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w === 'dev' && i + 1 < args.length) dev = args[++i];
    else if (w === 'mtu') {
      if (i + 1 >= args.length) return { error: 'Command line is not complete. Try option "help"', status: 255 };
      mtu = args[++i];
    } else if (dev === undefined) dev = w;
    else return { error: `podpath: ip link set: only "mtu" is modelled, not "${w}"`, status: 255 };
  }
  if (dev === undefined) return { error: 'Not enough information: "dev" argument is required.', status: 255 };
  if (mtu === undefined) return { error: `podpath: ip link set: only "mtu" is modelled`, status: 255 };
  if (!/^\d+$/.test(mtu)) return { error: `Error: argument "${mtu}" is wrong: Invalid "mtu" value`, status: 255 };
  const link = ns.links.find((l) => l.name === dev);
  if (!link) return { error: `Cannot find device "${dev}"`, status: 1 };
  const n = Number(mtu);
  if (n < 68) return { error: 'Error: mtu less than device minimum.', status: 2 };
  const max = maxMtu(ns, link);
  if (n > max) return { error: link.kind === 'vxlan' ? 'RTNETLINK answers: Invalid argument' : 'Error: mtu greater than device maximum.', status: 2 };
  return { dev, mtu: n };
}
