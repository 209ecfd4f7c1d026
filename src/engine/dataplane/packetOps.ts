/**
 * Packet operations the forwarder needs: the outermost header (what routing, ARP and the
 * wire see), encapsulation and decapsulation, and a deep copy for the per-hop snapshot.
 *
 * Outer header values follow the kernel: VXLAN's outer UDP source port is a hash of the
 * inner flow in the local port range 32768–60999 (udp_flow_src_port), TTL 64 (ip4_dst_hoplimit),
 * DF clear (vxlan `df unset`); tunl0 inherits TTL and DF from the inner packet (`ttl inherit`,
 * pmtudisc); WireGuard sends from its listen port.
 */
import type { Ipv4 } from '../addressing/ipv4';
import type { Encap, EthernetHeader, Ipv4Header, L4, PacketRepr } from '../model/packet';
import { fnv32a } from '../util/hash';

export function outerIp(p: PacketRepr): Ipv4Header {
  return p.encap.length ? p.encap[0].ip : p.ip;
}

export function outerEth(p: PacketRepr): EthernetHeader | undefined {
  return p.encap.length ? p.encap[0].eth : p.eth;
}

/** Replace the outermost IP header. */
export function withOuterIp(p: PacketRepr, ip: Ipv4Header): PacketRepr {
  if (!p.encap.length) return { ...p, ip };
  return { ...p, encap: [{ ...p.encap[0], ip }, ...p.encap.slice(1)] };
}

/** Replace (or, with undefined, strip) the outermost Ethernet header. */
export function withOuterEth(p: PacketRepr, eth: EthernetHeader | undefined): PacketRepr {
  if (!p.encap.length) {
    const out: PacketRepr = { ip: p.ip, l4: p.l4, payloadLen: p.payloadLen, encap: p.encap };
    if (eth) out.eth = eth;
    if (p.fragment) out.fragment = p.fragment;
    if (p.dns) out.dns = p.dns;
    return out;
  }
  return { ...p, encap: [{ ...p.encap[0], eth: eth ?? { src: '', dst: '' } }, ...p.encap.slice(1)] };
}

/** Outer protocol as the receiving stack sees it. */
export function outerProto(p: PacketRepr): { proto: 'udp'; dstPort: number } | { proto: 'ipip' } | { proto: L4['proto'] } {
  const e = p.encap[0];
  if (!e) return { proto: p.l4.proto };
  if (e.type === 'ipip') return { proto: 'ipip' };
  return { proto: 'udp', dstPort: e.dstPort };
}

/** The inner flow hash that picks a tunnel's outer UDP source port (udp_flow_src_port over the local port range). */
export function flowSourcePort(p: PacketRepr): number {
  const l4 = p.l4;
  const ports = l4.proto === 'icmp' ? `${l4.id}` : `${l4.srcPort}:${l4.dstPort}`;
  return 32768 + (fnv32a(`${p.ip.src}>${p.ip.dst}/${l4.proto}/${ports}`) % (60999 - 32768 + 1));
}

function outerHeader(src: Ipv4, dst: Ipv4, ttl: number, df: boolean, inner: PacketRepr): Ipv4Header {
  return { src, dst, ttl, df, id: fnv32a(`${src}>${dst}:${inner.ip.id}`) & 0xffff };
}

const NO_ETH: EthernetHeader = { src: '', dst: '' };

/** Push a VXLAN (or geneve) header; the inner frame keeps its Ethernet header. */
export function encapVxlan(p: PacketRepr, local: Ipv4, remote: Ipv4, dstPort: number, vni: number): PacketRepr {
  const layer: Encap = { type: 'vxlan', eth: NO_ETH, ip: outerHeader(local, remote, 64, false, p), srcPort: flowSourcePort(p), dstPort, vni };
  return { ...p, encap: [layer, ...p.encap] };
}

/** Push an IP-in-IP header (protocol 4); the inner packet has no Ethernet header on tunl0. */
export function encapIpip(p: PacketRepr, local: Ipv4, remote: Ipv4): PacketRepr {
  const inner = outerIp(p);
  const layer: Encap = { type: 'ipip', eth: NO_ETH, ip: outerHeader(local, remote, inner.ttl, inner.df, p) };
  return { ...withOuterEth(p, undefined), encap: [layer, ...p.encap] };
}

/** Push a WireGuard transport message over UDP. */
export function encapWireguard(p: PacketRepr, local: Ipv4, remote: Ipv4, srcPort: number, dstPort: number): PacketRepr {
  const layer: Encap = { type: 'wireguard', eth: NO_ETH, ip: outerHeader(local, remote, 64, false, p), srcPort, dstPort };
  return { ...withOuterEth(p, undefined), encap: [layer, ...p.encap] };
}

/** Pop the outermost encapsulation. */
export function decap(p: PacketRepr): PacketRepr {
  return { ...p, encap: p.encap.slice(1) };
}

/** A deep copy, so every hop keeps the packet as it was there. */
export function clonePacket(p: PacketRepr): PacketRepr {
  const ip = p.ip;
  const out: PacketRepr = {
    ip: { src: ip.src, dst: ip.dst, ttl: ip.ttl, df: ip.df, id: ip.id },
    l4: cloneL4(p.l4),
    payloadLen: p.payloadLen,
    encap: p.encap.length === 0 ? [] : p.encap.map(cloneEncap),
  };
  if (p.eth) out.eth = { src: p.eth.src, dst: p.eth.dst };
  if (p.fragment) out.fragment = { ...p.fragment };
  if (p.dns) out.dns = p.dns; // never changed on the way: shared, not copied
  return out;
}

function cloneL4(l4: L4): L4 {
  if (l4.proto === 'icmp') return { proto: 'icmp', type: l4.type, code: l4.code, id: l4.id, seq: l4.seq };
  if (l4.proto === 'tcp') return { proto: 'tcp', srcPort: l4.srcPort, dstPort: l4.dstPort, flags: l4.flags };
  return { proto: 'udp', srcPort: l4.srcPort, dstPort: l4.dstPort };
}

function cloneEncap(e: Encap): Encap {
  const eth = { src: e.eth.src, dst: e.eth.dst };
  const ip = { src: e.ip.src, dst: e.ip.dst, ttl: e.ip.ttl, df: e.ip.df, id: e.ip.id };
  if (e.type === 'ipip') return { type: 'ipip', eth, ip };
  if (e.type === 'wireguard') return { type: 'wireguard', eth, ip, srcPort: e.srcPort, dstPort: e.dstPort };
  return { type: e.type, eth, ip, srcPort: e.srcPort, dstPort: e.dstPort, vni: e.vni };
}
