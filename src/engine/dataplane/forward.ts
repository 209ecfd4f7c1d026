/**
 * The hop loop: a packet's path through the cluster's network namespaces, derived from
 * their tables (routes and rules, neighbours, FDB, devices, tc programs) and nothing else.
 *
 *   socket ─▶ OUTPUT ─▶ route ─▶ POSTROUTING ─▶ neighbour ─▶ device xmit
 *   device xmit: veth → peer namespace | bridge → FDB → port | vxlan/ipip/wireguard →
 *                encapsulate, route the outer packet | NIC → node network segment
 *   receive: tc ingress program → bridge port? → decapsulate (UDP port of a vxlan device,
 *            protocol 4 to tunl0, WireGuard listen port) → PREROUTING → route →
 *            local: INPUT, deliver | forward (ip_forward=1): TTL−1 (0 → ICMP time exceeded),
 *            FORWARD, output as above
 *
 * Every step appends a hop naming the table entry it used. A loop guard (MAX_HOPS) ends
 * traces that would not end; TTL ends routing loops on its own, bridge loops would not.
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { ClusterNetwork } from '../cni/network';
import type { Cluster } from '../model/cluster';
import { fabricRouteLabel, type Link, type Netns, type Route } from '../model/netns';
import { ETHERNET_HEADER, IPV4_HEADER, ipLen, type PacketRepr } from '../model/packet';
import type { HopAction, HopDecision, TraceHop, Verdict } from '../trace/traceTypes';
import type { BpfProgramsFor } from './bpfPrograms';
import type { NetfilterHook, NfHookPoint } from './netfilter';
import { isL3Device, resolveNeighbor } from './neighbor';
import { indexOf, isLocalAddress } from './nsIndex';
import { clonePacket, decap, encapIpip, encapVxlan, encapWireguard, outerEth, outerIp, withOuterEth, withOuterIp } from './packetOps';
import { viewOf } from './packetView';
import { renderFdb, renderRoute, renderRule } from './render';
import { lookupRoute, selectSource, type RouteMatch } from './routeTable';

/** Hops after which a trace is declared looping. A cross-node trace takes about 20. */
export const MAX_HOPS = 128;

export interface ForwardEnv {
  cluster: Cluster;
  network: ClusterNetwork;
  hooks: NetfilterHook[];
  /** The tc programs a device's `tcIngress` name runs (the CNI's datapath, with policy where the agent enforces it there). */
  programs: BpfProgramsFor;
  leg: 'request' | 'reply';
  /** Shared by the legs of one trace (conntrack for NAT hooks). */
  state: Map<string, unknown>;
}

/** An ICMP error a router generated (what traceroute and ping print). */
export interface IcmpError {
  kind: 'time-exceeded' | 'frag-needed' | 'unreachable';
  /** Source address of the error (the router's address toward the sender). */
  from: Ipv4 | undefined;
  netns: string;
  mtu?: number;
}

export type Outcome =
  | { verdict: 'delivered'; netns: Netns; dev: string; packet: PacketRepr }
  | { verdict: Exclude<Verdict, 'delivered'>; reason: string; icmp?: IcmpError; local?: boolean };

export interface LegRun {
  hops: TraceHop[];
  outcome: Outcome;
}

class LoopDetected extends Error {}

interface XmitOptions {
  nexthop?: Ipv4;
  tunnelRemote?: Ipv4;
  tunnelVni?: number;
}

/** Run one leg: a socket in `ns` sends `packet` (`ip.src` 0 = let the route pick the source). */
export function sendPacket(env: ForwardEnv, ns: Netns, packet: PacketRepr): LegRun {
  const f = new Forwarder(env);
  let outcome: Outcome;
  try {
    outcome = f.send(ns, packet);
  } catch (e) {
    if (!(e instanceof LoopDetected)) throw e;
    outcome = { verdict: 'dropped', reason: `forwarding loop: more than ${MAX_HOPS} hops` };
  }
  return { hops: f.hops, outcome };
}

const dropped = (reason: string): Outcome => ({ verdict: 'dropped', reason });
const unreachable = (reason: string, icmp?: IcmpError): Outcome => ({ verdict: 'unreachable', reason, ...(icmp ? { icmp } : {}) });

class Forwarder {
  hops: TraceHop[] = [];
  constructor(private env: ForwardEnv) {}

  private hop(ns: Netns | null, netnsId: string, device: string, action: HopAction, detail: string, p: PacketRepr, decision?: HopDecision) {
    if (this.hops.length >= MAX_HOPS) throw new LoopDetected();
    const repr = clonePacket(p);
    this.hops.push({ node: ns?.node ?? null, netns: netnsId, device, action, detail, packet: viewOf(repr), ...(decision ? { decision } : {}), repr });
  }

  private at(ns: Netns, device: string, action: HopAction, detail: string, p: PacketRepr, decision?: HopDecision) {
    this.hop(ns, ns.id, device, action, detail, p, decision);
  }

  private link(ns: Netns, name: string | undefined): Link | undefined {
    return name === undefined ? undefined : indexOf(ns).link.get(name);
  }

  // ── netfilter ────────────────────────────────────────────────────────────

  private hooks(point: NfHookPoint, ns: Netns, p: PacketRepr, inDev?: Link, outDev?: Link, bridged = false): PacketRepr | Outcome {
    for (const h of this.env.hooks) {
      if (!h.hooks.includes(point)) continue;
      const v = h.run({ cluster: this.env.cluster, network: this.env.network, netns: ns, hook: point, inDev, outDev, packet: p, leg: this.env.leg, state: this.env.state, ...(bridged ? { bridged } : {}) });
      if (v.kind === 'drop') {
        this.at(ns, (inDev ?? outDev)?.name ?? '', 'netfilter', `${point} ${h.name}: ${v.detail}`, p, decisionOf(point, h.name, v, p, p));
        return dropped(`${h.name} dropped the packet in ${ns.id} (${point}): ${v.detail}`);
      }
      if (v.kind === 'rewrite') {
        const before = p;
        p = v.packet;
        this.at(ns, (inDev ?? outDev)?.name ?? '', 'netfilter', `${point} ${h.name}: ${v.detail}`, p, decisionOf(point, h.name, v, before, p));
      }
    }
    return p;
  }

  // ── sending ──────────────────────────────────────────────────────────────

  send(ns: Netns, packet: PacketRepr): Outcome {
    let p = packet;
    const bound = p.ip.src !== 0 ? p.ip.src : undefined;
    const m = lookupRoute(ns, { dst: p.ip.dst, iif: 'lo', ...(bound !== undefined ? { src: bound } : {}) });
    if (!m) {
      this.at(ns, '', 'send', socketText(p), p);
      this.at(ns, '', 'drop', `no route to ${formatIpv4(p.ip.dst)}: connect: Network is unreachable`, p);
      return { verdict: 'unreachable', reason: `no route to ${formatIpv4(p.ip.dst)} in ${ns.id} (Network is unreachable)`, local: true };
    }
    if (bound === undefined) {
      const src = m.route.type === 'local' ? p.ip.dst : selectSource(ns, m.route);
      if (src === undefined) {
        this.at(ns, m.route.dev ?? '', 'drop', `no source address for ${renderRoute(m.route)}`, p);
        return { verdict: 'unreachable', reason: `no usable source address in ${ns.id}`, local: true };
      }
      p = { ...p, ip: { ...p.ip, src } };
    }
    this.at(ns, m.route.dev ?? '', 'send', socketText(p), p);
    const out = this.hooks('OUTPUT', ns, p, undefined, this.link(ns, m.route.dev));
    if (!('ip' in out)) return out;
    return this.routed(ns, this.rerouted(ns, m, p, out) ?? m, out, true);
  }

  /** An OUTPUT DNAT changed the destination: the kernel routes again (ip_route_me_harder). */
  private rerouted(ns: Netns, m: RouteMatch, before: PacketRepr, after: PacketRepr): RouteMatch | undefined {
    if (after.ip.dst === before.ip.dst) return m;
    return lookupRoute(ns, { dst: after.ip.dst, src: after.ip.src, iif: 'lo' });
  }

  /** A route was chosen: record it and act on its type. */
  private routed(ns: Netns, m: RouteMatch, p: PacketRepr, local: boolean, inDev?: Link): Outcome {
    const o = outerIp(p);
    const rule = m.rule ? ` (rule ${renderRule(m.rule).replace('\t', ' ')})` : '';
    const r = m.route;
    // A forwarded packet's TTL is decremented by ip_forward() right after this routing decision
    // (net/ipv4/ip_forward.c ip_decrease_ttl, before the FORWARD hook): the route hop shows it.
    const forwarding = !local && r.type === 'unicast' && ns.sysctl['net.ipv4.ip_forward'] === '1' && o.ttl > 1;
    const ttlNote = forwarding ? `; forwarded: TTL ${o.ttl} → ${o.ttl - 1}` : '';
    // The packet is still where it arrived (the in-device) when the route is chosen; a locally sent one at the route's device.
    this.at(ns, inDev?.name ?? r.dev ?? '', 'route', `${renderRoute(r)}${rule}${ttlNote}`, forwarding ? withOuterIp(p, { ...o, ttl: o.ttl - 1 }) : p);
    if (r.type === 'local' || r.type === 'broadcast') {
      if (inDev) {
        const q = this.hooks('INPUT', ns, p, inDev);
        if (!('ip' in q)) return q;
        if (q.ip.dst !== p.ip.dst && !isLocalAddress(ns, q.ip.dst)) {
          // IPVS translated a packet for a local virtual address: ip_vs_nat_xmit routes it out again.
          const m2 = lookupRoute(ns, { dst: q.ip.dst, src: q.ip.src, iif: 'lo' });
          if (!m2) return unreachable(`no route to ${formatIpv4(q.ip.dst)} in ${ns.id}`);
          return this.routed(ns, m2, q, true);
        }
        p = q;
      }
      if (p.fragment && p.encap.length === 0) {
        const count = p.fragment.count;
        p = { ...p, payloadLen: p.fragment.originalPayloadLen, fragment: undefined };
        this.at(ns, inDev?.name ?? r.dev ?? 'lo', 'deliver', `${count} fragments reassembled: ${ipLen(p)} bytes`, p);
      }
      this.at(ns, inDev?.name ?? r.dev ?? 'lo', 'deliver', `${formatIpv4(o.dst)} is local (${r.dev}): delivered to the socket`, p);
      return { verdict: 'delivered', netns: ns, dev: inDev?.name ?? r.dev ?? 'lo', packet: p };
    }
    if (r.type === 'blackhole') {
      this.at(ns, '', 'drop', `blackhole route ${renderRoute(r)}: discarded silently`, p);
      return dropped(`blackhole route in ${ns.id}: ${renderRoute(r)}`);
    }
    if (r.type === 'unreachable') {
      return this.icmpError(ns, p, 'unreachable', `unreachable route ${renderRoute(r)}: ICMP host unreachable`, local);
    }
    if (!local) {
      if (ns.sysctl['net.ipv4.ip_forward'] !== '1') {
        this.at(ns, inDev?.name ?? '', 'drop', `net.ipv4.ip_forward=0: not a router, packet for ${formatIpv4(o.dst)} dropped`, p);
        return dropped(`${ns.id} does not forward (net.ipv4.ip_forward=0)`);
      }
      if (o.ttl <= 1) return this.icmpError(ns, p, 'time-exceeded', `TTL ${o.ttl} would reach 0: ICMP time exceeded in transit`, false);
      p = withOuterIp(p, { ...o, ttl: o.ttl - 1 });
      const q = this.hooks('FORWARD', ns, p, inDev, this.link(ns, r.dev));
      if (!('ip' in q)) return q;
      p = q;
    }
    return this.output(ns, r, p, local);
  }

  /** Locally routed output: MTU, POSTROUTING, neighbour, transmit. */
  private output(ns: Netns, r: Route, p: PacketRepr, local: boolean): Outcome {
    const link = this.link(ns, r.dev);
    if (!link) {
      this.at(ns, r.dev ?? '', 'drop', `route ${renderRoute(r)} names no device`, p);
      return dropped(`device ${r.dev ?? '?'} missing in ${ns.id}`);
    }
    const o = outerIp(p);
    const mtu = Math.min(link.mtu, r.mtu ?? Infinity);
    const len = ipLen(p);
    if (len > mtu) {
      const where = r.mtu !== undefined && r.mtu < link.mtu ? `route mtu ${r.mtu}` : `${link.name} mtu ${link.mtu}`;
      if (o.df) {
        if (local) {
          this.at(ns, link.name, 'drop', `${len} bytes > ${where} with DF set: local error: message too long, mtu ${mtu} (EMSGSIZE)`, p);
          return { verdict: 'dropped', reason: `message too long: ${len} bytes > mtu ${mtu} in ${ns.id} (DF set)`, local: true, icmp: { kind: 'frag-needed', from: undefined, netns: ns.id, mtu } };
        }
        return this.icmpError(ns, p, 'frag-needed', `${len} bytes > ${where} with DF set: ICMP fragmentation needed, mtu ${mtu}`, false, mtu);
      }
      p = fragmented(p, mtu);
      this.at(ns, link.name, 'xmit', `${len} bytes > ${where}, DF clear: fragmented into ${p.fragment?.count ?? 1} fragments; following the first (${ipLen(p)} bytes)`, p);
    }
    const post = this.hooks('POSTROUTING', ns, p, undefined, link);
    if (!('ip' in post)) return post;
    p = post;
    const nexthop = r.via ?? outerIp(p).dst;
    const n = resolveNeighbor(this.env, ns, link, nexthop);
    if ('fail' in n) {
      this.at(ns, link.name, n.arp ? 'arp' : 'neigh', n.fail, p);
      return this.icmpError(ns, p, 'unreachable', `${n.fail}: ICMP host unreachable`, local);
    }
    p = withOuterEth(p, n.mac === null ? undefined : { src: link.mac, dst: n.mac });
    if (n.mac !== null) this.at(ns, link.name, n.arp ? 'arp' : 'neigh', n.detail, p);
    return this.xmit(ns, link, p, { nexthop });
  }

  // ── devices ──────────────────────────────────────────────────────────────

  private xmit(ns: Netns, link: Link, p: PacketRepr, opt: XmitOptions): Outcome {
    switch (link.kind) {
      case 'veth':
        return this.crossVeth(ns, link, p, 'veth pair');
      case 'bridge':
        return this.bridgeForward(ns, link, p, undefined);
      case 'vxlan':
        return this.xmitVxlan(ns, link, p, opt);
      case 'ipip':
        return this.xmitIpip(ns, link, p, opt);
      case 'wireguard':
        return this.xmitWireguard(ns, link, p);
      case 'ether':
        return this.xmitWire(ns, link, p);
      case 'loopback':
        this.at(ns, link.name, 'deliver', 'looped back', p);
        return { verdict: 'delivered', netns: ns, dev: link.name, packet: p };
      default:
        this.at(ns, link.name, 'drop', `cannot transmit on a ${link.kind} device`, p);
        return dropped(`${link.name} (${link.kind}) in ${ns.id} does not transmit`);
    }
  }

  private crossVeth(ns: Netns, link: Link, p: PacketRepr, how: string): Outcome {
    const peerNs = link.peer ? (link.peer.netns === ns.id ? ns : this.env.network.get(link.peer.netns)) : undefined;
    const peer = peerNs && link.peer ? this.link(peerNs, link.peer.name) : undefined;
    if (!peerNs || !peer) {
      this.at(ns, link.name, 'drop', `${link.name} has no peer`, p);
      return dropped(`veth ${link.name} in ${ns.id} has no peer`);
    }
    if (how === 'veth pair' && !forwardable(peer, p)) {
      // veth_xmit → __dev_forward_skb → is_skb_forwardable: a frame longer than the peer's
      // MTU + 14 (Ethernet) + 4 (VLAN_HLEN) is dropped and counted in the peer's rx_dropped;
      // no ICMP error is sent (include/linux/netdevice.h __is_skb_forwardable, net/core/dev.c).
      this.at(peerNs, peer.name, 'drop', `${ns.id} ${link.name} → ${peerNs.id} ${peer.name}: ${frameText(p)} > ${peer.name} mtu ${peer.mtu}: dropped by the receiving veth (rx_dropped), no ICMP`, p, MTU_DROP('veth'));
      return dropped(`mtu: ${ipLen(p)}-byte packet too big for ${peer.name} (mtu ${peer.mtu}) in ${peerNs.id}: dropped silently (rx_dropped)`);
    }
    this.at(peerNs, peer.name, 'veth', `${ns.id} ${link.name} → ${peerNs.id} ${peer.name} (${how})`, p);
    return this.receive(peerNs, peer, p);
  }

  private bridgeForward(ns: Netns, bridge: Link, p: PacketRepr, ingress: Link | undefined): Outcome {
    const idx = indexOf(ns);
    const dst = outerEth(p)?.dst ?? '';
    const entry = (idx.fdbByMasterMac.get(`${bridge.name}|${dst}`) ?? []).find((e) => e.dev !== bridge.name);
    let out = entry ? idx.link.get(entry.dev) : undefined;
    let detail = entry ? `fdb ${renderFdb(entry)}` : '';
    if (!out) {
      // Unknown unicast is flooded; only the port whose far end has the MAC accepts the frame.
      out = (idx.ports.get(bridge.name) ?? []).find((port) => port !== ingress && this.farEndMac(ns, port) === dst);
      if (!out) {
        this.at(ns, bridge.name, 'drop', `no FDB entry for ${dst} on ${bridge.name} and no port accepts it`, p);
        return dropped(`${bridge.name} in ${ns.id}: ${dst} is unknown`);
      }
      detail = `${dst} not in the FDB: flooded, accepted behind ${out.name}`;
    }
    if (out === ingress && !out.hairpin) {
      this.at(ns, bridge.name, 'drop', `${detail}: would leave through its ingress port ${out.name} (hairpin off)`, p);
      return dropped(`${bridge.name} in ${ns.id}: hairpin off on ${out.name}`);
    }
    this.at(ns, bridge.name, 'bridge', `${detail} → ${out.name}${out === ingress ? ' (hairpin on: back out of its ingress port)' : ''}`, p);
    if (ingress && brNetfilter(ns)) {
      // br_netfilter: a bridged IPv4 frame also traverses FORWARD and POSTROUTING (br_nf_forward_ip, br_nf_post_routing).
      const f = this.hooks('FORWARD', ns, p, bridge, bridge, true);
      if (!('ip' in f)) return f;
      const post = this.hooks('POSTROUTING', ns, f, undefined, bridge, true);
      if (!('ip' in post)) return post;
      p = post;
    }
    if (!forwardable(out, p)) {
      // br_dev_queue_push_xmit: is_skb_forwardable(port) fails → dropped, no ICMP (net/bridge/br_forward.c).
      this.at(ns, out.name, 'drop', `${frameText(p)} > ${out.name} mtu ${out.mtu}: the bridge drops it at the port (br_dev_queue_push_xmit), no ICMP`, p, MTU_DROP('bridge'));
      return dropped(`mtu: ${ipLen(p)}-byte packet too big for bridge port ${out.name} (mtu ${out.mtu}) in ${ns.id}: dropped silently`);
    }
    return this.xmit(ns, out, p, {});
  }

  private farEndMac(ns: Netns, port: Link): string | undefined {
    if (!port.peer) return undefined;
    const peerNs = port.peer.netns === ns.id ? ns : this.env.network.get(port.peer.netns);
    return peerNs ? this.link(peerNs, port.peer.name)?.mac : undefined;
  }

  private xmitVxlan(ns: Netns, link: Link, p: PacketRepr, opt: XmitOptions): Outcome {
    const info = link.vxlan!;
    let remote: Ipv4 | undefined;
    let why: string;
    let vni = info.vni;
    if (info.external) {
      remote = opt.tunnelRemote;
      if (opt.tunnelVni !== undefined) vni = opt.tunnelVni;
      why = `tunnel key from BPF: remote ${remote !== undefined ? formatIpv4(remote) : '?'}, id ${vni}`;
    } else {
      const mac = outerEth(p)?.dst ?? '';
      const entry = (indexOf(ns).fdbByDevMac.get(`${link.name}|${mac}`) ?? []).find((e) => e.dst !== undefined);
      remote = entry?.dst;
      why = entry ? `fdb ${renderFdb(entry)}` : '';
      if (!entry) {
        this.at(ns, link.name, 'drop', `no FDB entry for ${mac} on ${link.name}: no remote VTEP`, p);
        return dropped(`${link.name} in ${ns.id}: no VTEP for ${mac}`);
      }
    }
    if (remote === undefined) {
      this.at(ns, link.name, 'drop', `${link.name} is external and no tunnel key was set`, p);
      return dropped(`${link.name} in ${ns.id}: no tunnel remote`);
    }
    const q = encapVxlan(p, info.local, remote, info.port, vni);
    const e = q.encap[0] as { srcPort: number };
    const pmtu = this.tunnelPmtu(ns, link, p, info.local, remote, ipLen(q) - ipLen(p));
    if (pmtu.icmp) return pmtu.icmp;
    this.at(ns, link.name, 'encap', `${why}: vxlan id ${vni} ${formatIpv4(info.local)}:${e.srcPort} → ${formatIpv4(remote)}:${info.port}${pmtu.note}`, this.withUnderlayFrame(ns, q, info.local));
    return this.sendOuter(ns, q, info.local);
  }

  /**
   * vxlan_xmit_one → skb_tunnel_check_pmtu (net/ipv4/ip_tunnel_core.c, since 5.9): the inner packet
   * may be at most the route's MTU toward the remote minus the encapsulation's headroom (50 bytes
   * for VXLAN over IPv4). When it is larger, the kernel lowers the inner destination's PMTU
   * (skb_dst_update_pmtu_no_confirm) and, only when the tunnel device is a bridge (or Open vSwitch)
   * port, answers the inner sender itself with ICMP fragmentation needed (iptunnel_pmtud_check_icmp,
   * inner DF set) and drops the packet. A routed tunnel (flannel.1, vxlan.calico) sends this packet
   * anyway: its outer header has DF clear (vxlan `df unset`), so the outer packet is fragmented; the
   * next ones meet the lowered PMTU when they are routed. The engine follows the one packet.
   * The route's MTU knows nothing of an underlay that carries less (ClusterConfig.underlayMtu).
   */
  private tunnelPmtu(ns: Netns, link: Link, p: PacketRepr, local: Ipv4, remote: Ipv4, headroom: number): { note: string; icmp?: Outcome } {
    const m = lookupRoute(ns, { dst: remote, src: local, iif: 'lo' });
    const dev = m && m.route.type === 'unicast' ? this.link(ns, m.route.dev) : undefined;
    if (!m || !dev) return { note: '' };
    const mtu = Math.min(dev.mtu, m.route.mtu ?? Infinity) - headroom;
    const len = ipLen(p);
    if (len <= mtu) return { note: '' };
    if (link.master && outerIp(p).df && mtu > 576) {
      return { note: '', icmp: this.icmpError(ns, p, 'frag-needed', `${len} bytes > ${dev.name} mtu ${mtu + headroom} − ${headroom} (vxlan headroom) with DF set, ${link.name} is a port of ${link.master}: skb_tunnel_check_pmtu replies ICMP fragmentation needed, mtu ${mtu}`, false, mtu) };
    }
    return { note: `; inner ${len} bytes > path mtu ${mtu} (${dev.name} ${mtu + headroom} − ${headroom}): PMTU toward ${formatIpv4(outerIp(p).dst)} lowered to ${mtu}, this packet sent anyway` };
  }

  private xmitIpip(ns: Netns, link: Link, p: PacketRepr, opt: XmitOptions): Outcome {
    const remote = link.ipip?.remote ?? opt.nexthop;
    if (remote === undefined || remote === outerIp(p).dst) {
      this.at(ns, link.name, 'drop', `${link.name}: no tunnel remote (route without a gateway)`, p);
      return dropped(`${link.name} in ${ns.id}: no remote`);
    }
    const local = link.ipip?.local ?? this.sourceToward(ns, remote);
    if (local === undefined) return dropped(`${link.name} in ${ns.id}: no local address toward ${formatIpv4(remote)}`);
    const q = encapIpip(p, local, remote);
    this.at(ns, link.name, 'encap', `ipip ${formatIpv4(local)} → ${formatIpv4(remote)} (remote = the route's gateway)`, this.withUnderlayFrame(ns, q, local));
    return this.sendOuter(ns, q, local);
  }

  private xmitWireguard(ns: Netns, link: Link, p: PacketRepr): Outcome {
    const dst = outerIp(p).dst;
    const peer = link.wireguard?.peers.find((x) => x.allowedIps.some((c) => c.contains(dst)));
    if (!peer) {
      this.at(ns, link.name, 'drop', `no peer of ${link.name} has ${formatIpv4(dst)} in its allowed-ips: ENOKEY`, p);
      return dropped(`${link.name} in ${ns.id}: no WireGuard peer for ${formatIpv4(dst)}`);
    }
    const local = this.sourceToward(ns, peer.endpoint.ip);
    if (local === undefined) return dropped(`${link.name} in ${ns.id}: no route to the peer endpoint`);
    const q = encapWireguard(p, local, peer.endpoint.ip, link.wireguard!.listenPort, peer.endpoint.port);
    const allowed = peer.allowedIps.find((c) => c.contains(dst))!;
    this.at(ns, link.name, 'encap', `wireguard peer ${peer.publicKey} endpoint ${formatIpv4(peer.endpoint.ip)}:${peer.endpoint.port} allowed-ips ${allowed.toString()}`, this.withUnderlayFrame(ns, q, local));
    return this.sendOuter(ns, q, local);
  }

  private sourceToward(ns: Netns, ip: Ipv4): Ipv4 | undefined {
    const m = lookupRoute(ns, { dst: ip, iif: 'lo' });
    return m ? selectSource(ns, m.route) : undefined;
  }

  /**
   * The encapsulated packet as it will leave on the underlay: the outer Ethernet header the
   * route and neighbour toward the remote give it (what a capture on the node's NIC shows), so
   * the encap hop never shows an empty outer frame. Nothing is recorded here: the route and
   * neighbour hops that follow (sendOuter) record the same lookups. Left empty when the
   * underlay has no route or no answer (those hops then say why).
   */
  private withUnderlayFrame(ns: Netns, q: PacketRepr, src: Ipv4): PacketRepr {
    const dst = outerIp(q).dst;
    const m = lookupRoute(ns, { dst, src, iif: 'lo' });
    const link = m && m.route.type === 'unicast' ? this.link(ns, m.route.dev) : undefined;
    if (!m || !link) return q;
    const n = resolveNeighbor(this.env, ns, link, m.route.via ?? dst);
    return 'fail' in n || n.mac === null ? q : withOuterEth(q, { src: link.mac, dst: n.mac });
  }

  /** The tunnel's outer packet is a new locally generated packet: OUTPUT, then routing. */
  private sendOuter(ns: Netns, p: PacketRepr, src: Ipv4): Outcome {
    const dst = outerIp(p).dst;
    const m = lookupRoute(ns, { dst, src, iif: 'lo' });
    if (!m) {
      this.at(ns, '', 'drop', `no route to tunnel remote ${formatIpv4(dst)}`, p);
      return unreachable(`no route to tunnel remote ${formatIpv4(dst)} in ${ns.id}`);
    }
    const q = this.hooks('OUTPUT', ns, p, undefined, this.link(ns, m.route.dev));
    if (!('ip' in q)) return q;
    return this.routed(ns, m, q, true);
  }

  private xmitWire(ns: Netns, link: Link, p: PacketRepr): Outcome {
    const net = this.env.network;
    const seg = net.segments.find((s) => s.name === link.segment);
    if (!seg) {
      this.at(ns, link.name, 'drop', `${link.name} is not attached to a network`, p);
      return dropped(`${link.name} in ${ns.id} has no carrier`);
    }
    const eth = outerEth(p);
    let port: { netns: string; dev: string } | undefined;
    let detail: string;
    let fabric: TraceHop['fabric'];
    if (seg.fabric === 'vpc') {
      // The cloud fabric delivers by IP: through its route table (secondary IPs, alias ranges,
      // overlay ranges; cni/fabricTable.ts) to the node's NIC, else to the NIC or station that
      // holds the address itself. A VM outside the cluster is not offered cluster-only routes.
      const dst = outerIp(p).dst;
      const cloud = seg.cloud?.network ?? 'VPC';
      const route = net.fabricRoute?.(dst, ns.kind === 'node' || ns.kind === 'pod' ? 'cluster' : 'vpc');
      const nic = route ? net.get(`node/${route.node}` as Netns['id'])?.links.find((l) => l.name === route.dev) : undefined;
      const owner = route ? (nic ? { netns: `node/${route.node}`, dev: nic.name, mac: nic.mac } : undefined) : net.arpOnSegment(seg.name, dst);
      port = owner;
      if (owner) p = withOuterEth(p, { src: eth?.src ?? link.mac, dst: owner.mac });
      if (route) {
        detail = `${cloud} fabric: ${fabricRouteLabel(route)} → node ${route.node}`;
        fabric = { network: cloud, route: route.dst.toString(), kind: route.kind, node: route.node, dev: route.dev };
      } else detail = `${cloud} fabric: ${formatIpv4(dst)} → ${owner ? `${owner.dev} of ${owner.netns}` : 'none'}`;
    } else {
      port = eth ? net.portByMac(seg.name, eth.dst) : undefined;
      detail = `L2 segment ${seg.name}: ${eth?.src ?? '?'} → ${eth?.dst ?? '?'}${port ? ` (${port.netns} ${port.dev})` : ''}`;
    }
    const dstNs = port ? net.get(port.netns as Netns['id']) : undefined;
    const dstLink = dstNs && port ? this.link(dstNs, port.dev) : undefined;
    if (seg.mtu !== undefined && ipLen(p) > seg.mtu) {
      // The underlay carries less than the NIC sent (Segment.mtu): a switch cannot fragment and
      // sends no ICMP; the frame is gone. Nobody on either node counts it.
      this.hop(null, `net/${seg.name}`, link.name, 'drop', `${detail}: ${frameText(p)} > the network's mtu ${seg.mtu}: oversize frame dropped by the underlay, no ICMP`, p, MTU_DROP('underlay'));
      return dropped(`mtu: ${ipLen(p)}-byte packet too big for the node network ${seg.name} (mtu ${seg.mtu}): dropped silently by the underlay`);
    }
    this.hop(null, `net/${seg.name}`, link.name, 'wire', detail, p);
    if (fabric) this.hops[this.hops.length - 1].fabric = fabric;
    if (!dstNs || !dstLink) {
      this.hop(null, `net/${seg.name}`, link.name, 'drop', 'no station on the segment takes the frame', p);
      return dropped(`nobody on ${seg.name} has ${eth?.dst ?? formatIpv4(outerIp(p).dst)}`);
    }
    return this.receive(dstNs, dstLink, p);
  }

  // ── receiving ────────────────────────────────────────────────────────────

  private receive(ns: Netns, link: Link, p: PacketRepr): Outcome {
    // A tc program that passes a packet up has taken charge of its L2 header (Cilium rewrites
    // the MACs for the host, bpf_overlay.c to_host), so the stack accepts it as PACKET_HOST.
    let passedByBpf = false;
    if (link.tcIngress) {
      const prog = this.env.programs(this.env.network.plugin.mode)?.[link.tcIngress];
      if (prog) {
        const v = prog({ cluster: this.env.cluster, network: this.env.network, netns: ns, link, packet: p });
        const q = v.kind === 'redirect' || v.kind === 'redirect-peer' ? (v.packet ?? p) : p;
        const decision: HopDecision | undefined = v.kind === 'drop' ? { hook: link.tcIngress, by: 'tc', verdict: 'drop', ...(v.policies ? { policies: v.policies } : {}) } : undefined;
        this.at(ns, link.name, 'bpf', `tc ingress ${link.tcIngress}: ${v.kind}${v.kind.startsWith('redirect') ? ` ${(v as { dev: string }).dev}` : ''}: ${v.detail}`, q, decision);
        if (v.kind === 'drop') return dropped(`${link.tcIngress} on ${link.name} in ${ns.id}: ${v.detail}`);
        passedByBpf = v.kind === 'pass';
        if (v.kind === 'redirect' || v.kind === 'redirect-peer') {
          const target = this.link(ns, v.dev);
          if (!target) return dropped(`${link.tcIngress}: redirect to missing device ${v.dev} in ${ns.id}`);
          if (outerIp(q).ttl <= 0) return this.icmpError(ns, { ...q, ip: { ...q.ip, ttl: 1 } }, 'time-exceeded', `${link.tcIngress}: TTL exceeded (DROP_TTL_EXCEEDED)`, false);
          if (v.kind === 'redirect-peer') return this.crossVeth(ns, target, q, 'bpf_redirect_peer');
          return this.xmit(ns, target, q, { tunnelRemote: v.tunnelRemote, tunnelVni: v.tunnelVni });
        }
      }
    }
    if (link.master) {
      const master = this.link(ns, link.master);
      if (master?.kind === 'bridge') return this.bridgeIn(ns, master, link, p);
      this.at(ns, link.name, 'drop', `port of ${link.master}: no flow for the frame`, p);
      return dropped(`${link.master} in ${ns.id} has no flow for the frame`);
    }
    const eth = outerEth(p);
    if (eth && eth.dst && !passedByBpf && !isL3Device(link) && eth.dst !== link.mac && eth.dst !== 'ff:ff:ff:ff:ff:ff') {
      this.at(ns, link.name, 'drop', `frame for ${eth.dst}, not ${link.name} (${link.mac}): PACKET_OTHERHOST`, p);
      return dropped(`${link.name} in ${ns.id} received a frame for another host (${eth.dst})`);
    }
    return this.stackInput(ns, link, p);
  }

  private bridgeIn(ns: Netns, bridge: Link, port: Link, p: PacketRepr): Outcome {
    let preDone = false;
    if (brNetfilter(ns) && p.encap.length === 0) {
      // br_netfilter (net.bridge.bridge-nf-call-iptables=1): iptables PREROUTING runs in the bridge path, before the FDB decision.
      const q = this.hooks('PREROUTING', ns, p, bridge, undefined, true);
      if (!('ip' in q)) return q;
      preDone = true;
      if (q.ip.dst !== p.ip.dst) {
        // br_nf_pre_routing_finish: the destination changed, route again; DNAT to a host on this same bridge stays bridged.
        const m = lookupRoute(ns, { dst: q.ip.dst, src: q.ip.src, iif: bridge.name });
        if (m && m.route.type === 'unicast' && m.route.dev === bridge.name) {
          const n = resolveNeighbor(this.env, ns, bridge, m.route.via ?? q.ip.dst);
          if ('fail' in n) {
            this.at(ns, bridge.name, n.arp ? 'arp' : 'neigh', n.fail, q);
            return dropped(`${bridge.name} in ${ns.id}: ${n.fail}`);
          }
          const r = withOuterEth(q, { src: outerEth(p)?.src ?? bridge.mac, dst: n.mac ?? '' });
          this.at(ns, bridge.name, 'bridge', `br_netfilter: destination now ${formatIpv4(q.ip.dst)}, behind ${bridge.name} itself: bridged DNAT, destination MAC → ${n.mac}`, r);
          return this.bridgeForward(ns, bridge, r, port);
        }
        this.at(ns, bridge.name, 'bridge', `br_netfilter: destination now ${formatIpv4(q.ip.dst)}, routed elsewhere: up to the IP stack`, q);
        return this.stackInput(ns, bridge, q, true);
      }
      p = q;
    }
    const dst = outerEth(p)?.dst ?? '';
    const own = dst === bridge.mac || (indexOf(ns).fdbByDevMac.get(`${bridge.name}|${dst}`) ?? []).length > 0;
    if (own) {
      this.at(ns, bridge.name, 'bridge', `${dst} is ${bridge.name}'s own address (from ${port.name}): up to the IP stack`, p);
      return this.stackInput(ns, bridge, p, preDone);
    }
    return this.bridgeForward(ns, bridge, p, port);
  }

  /** The IP layer of a namespace receives a packet on `link`. */
  private stackInput(ns: Netns, link: Link, p: PacketRepr, preroutingDone = false): Outcome {
    const o = outerIp(p);
    if (p.encap.length && isLocalAddress(ns, o.dst)) return this.decapsulate(ns, link, p);
    // ip_sabotage_in: a frame br_netfilter already took through PREROUTING is not hooked twice.
    const pre = preroutingDone ? p : this.hooks('PREROUTING', ns, p, link);
    if (!('ip' in pre)) return pre;
    p = pre;
    const q = outerIp(p);
    const m = lookupRoute(ns, { dst: q.dst, src: q.src, iif: link.name });
    if (!m) {
      this.at(ns, link.name, 'route', `no route to ${formatIpv4(q.dst)}`, p);
      return this.icmpError(ns, p, 'unreachable', `no route to ${formatIpv4(q.dst)}: ICMP net unreachable`, false);
    }
    return this.routed(ns, m, p, false, link);
  }

  private decapsulate(ns: Netns, link: Link, p: PacketRepr): Outcome {
    const e = p.encap[0];
    let tunnel: Link | undefined;
    if (e.type === 'ipip') tunnel = ns.links.find((l) => l.kind === 'ipip' && l.operState !== 'DOWN');
    else if (e.type === 'wireguard') tunnel = ns.links.find((l) => l.kind === 'wireguard' && l.wireguard?.listenPort === e.dstPort);
    else tunnel = ns.links.find((l) => l.kind === 'vxlan' && l.vxlan!.port === e.dstPort && (l.vxlan!.external || l.vxlan!.vni === e.vni));
    const what = e.type === 'ipip' ? 'IP protocol 4 (ipip)' : `udp/${e.dstPort}${e.type === 'vxlan' ? ` vxlan id ${e.vni}` : ''}`;
    if (!tunnel) {
      this.at(ns, link.name, 'drop', `${what} to local ${formatIpv4(e.ip.dst)}: no tunnel device takes it (ICMP port unreachable)`, p);
      return dropped(`${ns.id}: nothing listens on ${what}`);
    }
    const inner = decap(p);
    this.at(ns, tunnel.name, 'decap', `${what} from ${formatIpv4(e.ip.src)} → ${tunnel.name}`, inner);
    return this.receive(ns, tunnel, inner);
  }

  // ── ICMP errors ──────────────────────────────────────────────────────────

  /**
   * A router drops the packet and reports it to the sender. The error's source is the
   * address the router selects toward the sender (icmp_send with icmp_errors_use_inbound_ifaddr=0).
   */
  private icmpError(ns: Netns, p: PacketRepr, kind: IcmpError['kind'], detail: string, local: boolean, mtu?: number): Outcome {
    const sender = outerIp(p).src;
    const from = local ? undefined : this.sourceToward(ns, sender);
    const [type, code] = kind === 'time-exceeded' ? [11, 0] : kind === 'frag-needed' ? [3, 4] : [3, 1];
    const err: PacketRepr = {
      ip: { src: from ?? 0, dst: sender, ttl: 64, df: false, id: 0 },
      l4: { proto: 'icmp', type, code, id: 0, seq: 0 },
      // The ICMP error quotes the offending IP header and 8 bytes of its payload (RFC 792).
      payloadLen: 28,
      encap: [],
    };
    this.at(ns, '', local ? 'drop' : 'icmp-error', local ? detail : `${detail}; from ${formatIpv4(from ?? 0)} to ${formatIpv4(sender)}`, local ? p : err);
    const icmp: IcmpError = { kind, from, netns: ns.id, ...(mtu !== undefined ? { mtu } : {}) };
    const reason = `${kind === 'time-exceeded' ? 'TTL exceeded' : kind === 'frag-needed' ? `fragmentation needed (mtu ${mtu})` : 'unreachable'} in ${ns.id}: ${detail}`;
    return kind === 'unreachable' ? { verdict: 'unreachable', reason, icmp, ...(local ? { local } : {}) } : { verdict: 'dropped', reason, icmp };
  }
}

/** A silent drop for size, as data (a lesson's `droppedBy: {hook: mtu}`): hook `mtu`, by the veth, bridge port or underlay. */
const MTU_DROP = (by: 'veth' | 'bridge' | 'underlay'): HopDecision => ({ hook: 'mtu', by, verdict: 'drop' });

/** VLAN_HLEN: is_skb_forwardable allows a frame up to mtu + hard_header_len + 4 (a VLAN tag's room). */
const VLAN_HLEN = 4;

/** __is_skb_forwardable's length test: the frame (IP length + 14) ≤ dev MTU + 14 + VLAN_HLEN. No GSO is modelled. */
function forwardable(dev: Link, p: PacketRepr): boolean {
  return ipLen(p) <= dev.mtu + VLAN_HLEN;
}

/** `1514-byte frame (1500-byte IP packet)`. */
function frameText(p: PacketRepr): string {
  const len = ipLen(p);
  return `${len + ETHERNET_HEADER}-byte frame (${len}-byte IP packet)`;
}

/** `IP` or `IP:port` of the packet's destination (dst) or source. */
function endText(p: PacketRepr, side: 'src' | 'dst'): string {
  const ip = formatIpv4(p.ip[side]);
  if (p.l4.proto === 'icmp') return ip;
  return `${ip}:${side === 'dst' ? p.l4.dstPort : p.l4.srcPort}`;
}

/** A hook's verdict as data: who, where, the translation it made (read from the packets), the chains and policies it names. */
function decisionOf(hook: NfHookPoint, by: string, v: { kind: 'drop' | 'rewrite'; chains?: string[]; policies?: string[] }, before: PacketRepr, after: PacketRepr): HopDecision {
  const d: HopDecision = { hook, by, verdict: v.kind };
  const dst = [endText(before, 'dst'), endText(after, 'dst')];
  const src = [endText(before, 'src'), endText(after, 'src')];
  if (dst[0] !== dst[1]) d.dnat = { from: dst[0], to: dst[1] };
  if (src[0] !== src[1]) d.snat = { from: src[0], to: src[1] };
  if (v.chains?.length) d.chains = v.chains;
  if (v.policies?.length) d.policies = v.policies;
  return d;
}

/** br_netfilter is on for this namespace's bridges (net.bridge.bridge-nf-call-iptables=1, the kubeadm default). */
function brNetfilter(ns: Netns): boolean {
  return ns.sysctl['net.bridge.bridge-nf-call-iptables'] === '1';
}

function socketText(p: PacketRepr): string {
  const l4 = p.l4;
  const dst = formatIpv4(p.ip.dst);
  const src = formatIpv4(p.ip.src);
  if (l4.proto === 'icmp') return `socket sends ICMP ${l4.type === 8 ? 'echo request' : l4.type === 0 ? 'echo reply' : `type ${l4.type}`} id ${l4.id} seq ${l4.seq} ${src} → ${dst}`;
  return `socket sends ${l4.proto.toUpperCase()}${l4.proto === 'tcp' ? ` [${l4.flags}]` : ''} ${src}:${l4.srcPort} → ${dst}:${l4.dstPort}`;
}

/**
 * IP fragmentation (RFC 791; net/ipv4/ip_output.c ip_do_fragment): every fragment but the last
 * carries a multiple of 8 data bytes that fits the MTU. Only the innermost datagram's shape is
 * tracked: an encapsulated packet fragments its outer header, which the view shows as the size.
 */
function fragmented(p: PacketRepr, mtu: number): PacketRepr {
  if (p.encap.length) return p;
  const data = ipLen(p) - IPV4_HEADER;
  const perFragment = (mtu - IPV4_HEADER) & ~7;
  const count = Math.ceil(data / perFragment);
  const original = p.fragment?.originalPayloadLen ?? p.payloadLen;
  return { ...p, payloadLen: perFragment - (ipLen(p) - IPV4_HEADER - p.payloadLen), fragment: { originalPayloadLen: original, count: (p.fragment?.count ?? 1) - 1 + count } };
}
