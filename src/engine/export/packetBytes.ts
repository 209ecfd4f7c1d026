/**
 * The byte view of a `PacketRepr` (STYLE: "add a byte view only for pcap export"): the frame or
 * IP packet as it is on the wire, outermost header first, with every checksum a receiver checks.
 *
 * - Ethernet II (IEEE 802.3 §3.2.6): destination, source, EtherType 0x0800; no FCS (a capture
 *   does not show it).
 * - IPv4 (RFC 791 §3.1): version 4, IHL 5, DSCP 0, total length, id, DF/MF + fragment offset,
 *   TTL, protocol, header checksum (RFC 1071).
 * - ICMP (RFC 792), TCP (RFC 9293 §3.1; a SYN carries Linux's options MSS, SACK-permitted,
 *   timestamps, NOP, window scale — tcp_options_write), UDP (RFC 768) with the pseudo-header
 *   checksum. A tunnel's outer UDP checksum is zero, as Linux sends it by default (vxlan and
 *   geneve `udpcsum` off; RFC 7348 §5: "UDP Checksum: It SHOULD be transmitted as zero").
 * - VXLAN (RFC 7348 §5): flags 0x08 (I), VNI; Geneve (RFC 8926 §3.4): version 0, no options,
 *   protocol 0x6558 (Transparent Ethernet Bridging), VNI; IP-in-IP (RFC 2003): protocol 4;
 *   WireGuard transport data (wireguard.com/protocol: type 4, receiver index, counter, sealed
 *   packet + 16-byte Poly1305 tag — the sealed bytes are not computed and are zero).
 * - Payload: the DNS message when the packet carries one (dnsWire.ts), otherwise zeros (the
 *   model knows a payload's size, not its content).
 *
 * Deterministic: TCP sequence numbers and WireGuard indexes are hashes of the flow.
 */
import type { Encap, EthernetHeader, Ipv4Header, L4, PacketRepr } from '../model/packet';
import { IPV4_HEADER, TCP_HEADER, TCP_SYN_OPTIONS, l4HeaderLen } from '../model/packet';
import { fnv32a } from '../util/hash';
import { dnsWire } from './dnsWire';

export const ETHERTYPE_IPV4 = 0x0800;
/** Transparent Ethernet Bridging (IEEE 802.1; RFC 8926 Geneve protocol type for an Ethernet payload). */
const ETHERTYPE_TEB = 0x6558;
const PROTO_ICMP = 1;
const PROTO_IPIP = 4;
const PROTO_TCP = 6;
const PROTO_UDP = 17;

/** Per-trace TCP state the packet alone does not carry: the two initial sequence numbers. */
export interface TcpContext {
  /** ISN of the side that sent the SYN, and of the side that answered. */
  clientIsn: number;
  serverIsn: number;
  /** MSS the SYN and SYN-ACK announce (device MTU − 40). */
  mss: number;
}

export const defaultTcp = (p: PacketRepr): TcpContext => {
  const l4 = p.l4;
  const key = l4.proto === 'tcp' ? `${l4.srcPort}>${l4.dstPort}` : '';
  return { clientIsn: fnv32a(`isn:${key}`) >>> 0, serverIsn: fnv32a(`isn-reply:${key}`) >>> 0, mss: 1460 };
};

/** RFC 1071 one's-complement sum over `bytes`, folded to 16 bits (not yet complemented). */
function sum16(bytes: Uint8Array, start: number, end: number, acc = 0): number {
  for (let i = start; i < end; i += 2) acc += (bytes[i] << 8) | (i + 1 < end ? bytes[i + 1] : 0);
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return acc;
}

/** The Internet checksum (RFC 1071) of a byte range, optionally starting from a partial sum. */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length, acc = 0): number {
  return ~sum16(bytes, start, end, acc) & 0xffff;
}

/** `aa:bb:cc:dd:ee:ff` → 6 bytes (an empty or malformed string gives zeros). */
export function macBytes(mac: string): number[] {
  const parts = mac.split(':');
  if (parts.length !== 6) return [0, 0, 0, 0, 0, 0];
  return parts.map((h) => parseInt(h, 16) & 0xff);
}

class Writer {
  readonly bytes: Uint8Array;
  private view: DataView;
  constructor(len: number) {
    this.bytes = new Uint8Array(len);
    this.view = new DataView(this.bytes.buffer);
  }
  u8(at: number, v: number) {
    this.bytes[at] = v & 0xff;
  }
  u16(at: number, v: number) {
    this.view.setUint16(at, v & 0xffff);
  }
  u32(at: number, v: number) {
    this.view.setUint32(at, v >>> 0);
  }
}

/** The application bytes after the L4 header. */
function payloadOf(p: PacketRepr): Uint8Array {
  if (p.dns && p.l4.proto === 'udp' && !p.fragment) return dnsWire(p.dns);
  return new Uint8Array(p.payloadLen);
}

/** Length of the transport datagram the L4 checksum covers (the whole datagram, also for a first fragment). */
function l4Bytes(p: PacketRepr, payload: Uint8Array): { header: number; datagram: number; onWire: number } {
  const header = l4HeaderLen(p.l4);
  const onWire = header + payload.length;
  const datagram = p.fragment ? header + p.fragment.originalPayloadLen : onWire;
  return { header, datagram, onWire };
}

function pseudoHeaderSum(ip: Ipv4Header, proto: number, len: number): number {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setUint32(0, ip.src >>> 0);
  v.setUint32(4, ip.dst >>> 0);
  b[9] = proto;
  v.setUint16(10, len);
  return sum16(b, 0, 12);
}

function tcpFlagBits(flags: string): number {
  // RFC 9293 §3.1 control bits: CWR ECE URG ACK PSH RST SYN FIN.
  const bits: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };
  let v = 0;
  for (const c of flags) v |= bits[c] ?? 0;
  return v;
}

/** The IPv4 header at `at` (checksum filled in). */
function writeIp(w: Writer, at: number, ip: Ipv4Header, proto: number, totalLen: number, frag?: { more: boolean }) {
  w.u8(at, 0x45);
  w.u8(at + 1, 0);
  w.u16(at + 2, totalLen);
  w.u16(at + 4, ip.id);
  w.u16(at + 6, (ip.df ? 0x4000 : 0) | (frag?.more ? 0x2000 : 0));
  w.u8(at + 8, ip.ttl);
  w.u8(at + 9, proto);
  w.u16(at + 10, 0);
  w.u32(at + 12, ip.src);
  w.u32(at + 16, ip.dst);
  w.u16(at + 10, internetChecksum(w.bytes, at, at + IPV4_HEADER));
}

function protoOf(l4: L4): number {
  return l4.proto === 'icmp' ? PROTO_ICMP : l4.proto === 'tcp' ? PROTO_TCP : PROTO_UDP;
}

/** The innermost IP packet (header, L4 header, payload), without any link header. */
function innerIpPacket(p: PacketRepr, tcp: TcpContext): Uint8Array {
  const payload = payloadOf(p);
  const l = l4Bytes(p, payload);
  const w = new Writer(IPV4_HEADER + l.onWire);
  writeIp(w, 0, p.ip, protoOf(p.l4), IPV4_HEADER + l.onWire, p.fragment && p.fragment.count > 1 ? { more: true } : undefined);
  const at = IPV4_HEADER;
  const l4 = p.l4;
  w.bytes.set(payload, at + l.header);
  if (l4.proto === 'icmp') {
    w.u8(at, l4.type);
    w.u8(at + 1, l4.code);
    w.u16(at + 4, l4.id);
    w.u16(at + 6, l4.seq);
    // The ICMP checksum covers the ICMP message only (RFC 792); payload bytes are zeros past what we wrote.
    w.u16(at + 2, internetChecksum(w.bytes, at, at + l.onWire));
    return w.bytes;
  }
  if (l4.proto === 'udp') {
    w.u16(at, l4.srcPort);
    w.u16(at + 2, l4.dstPort);
    w.u16(at + 4, l.datagram);
    const c = internetChecksum(w.bytes, at, at + l.onWire, pseudoHeaderSum(p.ip, PROTO_UDP, l.datagram));
    // RFC 768: a computed zero is sent as all ones (zero means "no checksum").
    w.u16(at + 6, c === 0 ? 0xffff : c);
    return w.bytes;
  }
  const syn = l4.flags.includes('S');
  const synAck = syn && l4.flags.includes('A');
  w.u16(at, l4.srcPort);
  w.u16(at + 2, l4.dstPort);
  w.u32(at + 4, synAck ? tcp.serverIsn : tcp.clientIsn);
  w.u32(at + 8, synAck ? tcp.clientIsn + 1 : 0);
  w.u8(at + 12, (l.header / 4) << 4);
  w.u8(at + 13, tcpFlagBits(l4.flags));
  // Linux's initial windows: 64240 on a SYN (tcp_select_initial_window over a 1460 MSS), 65160 on the SYN-ACK.
  w.u16(at + 14, synAck ? 65160 : syn ? 64240 : 502);
  if (syn && l.header === TCP_HEADER + TCP_SYN_OPTIONS) {
    const o = at + TCP_HEADER;
    // MSS(2,4) SACK_PERM(4,2) TIMESTAMP(8,10) NOP WSCALE(3,3,7): tcp_options_write's order for a Linux SYN.
    const opts = [2, 4, (tcp.mss >> 8) & 0xff, tcp.mss & 0xff, 4, 2, 8, 10];
    opts.forEach((b, i) => w.u8(o + i, b));
    w.u32(o + 8, synAck ? tcp.serverIsn ^ 0x5a5a5a5a : tcp.clientIsn ^ 0xa5a5a5a5);
    w.u32(o + 12, synAck ? tcp.clientIsn ^ 0xa5a5a5a5 : 0);
    [1, 3, 3, 7].forEach((b, i) => w.u8(o + 16 + i, b));
  }
  w.u16(at + 16, internetChecksum(w.bytes, at, at + l.onWire, pseudoHeaderSum(p.ip, PROTO_TCP, l.datagram)));
  return w.bytes;
}

function ethHeader(eth: EthernetHeader, etherType: number): Uint8Array {
  const b = new Uint8Array(14);
  b.set(macBytes(eth.dst), 0);
  b.set(macBytes(eth.src), 6);
  b[12] = etherType >> 8;
  b[13] = etherType & 0xff;
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Wrap `inner` (the bytes the tunnel carries) in one encapsulation layer's IP packet. */
function wrap(e: Encap, inner: Uint8Array): Uint8Array {
  if (e.type === 'ipip') {
    const w = new Writer(IPV4_HEADER + inner.length);
    writeIp(w, 0, e.ip, PROTO_IPIP, w.bytes.length);
    w.bytes.set(inner, IPV4_HEADER);
    return w.bytes;
  }
  let tunnel: Uint8Array;
  if (e.type === 'wireguard') {
    tunnel = new Uint8Array(16 + inner.length + 16);
    const v = new DataView(tunnel.buffer);
    v.setUint8(0, 4);
    v.setUint32(4, fnv32a(`wg:${e.ip.dst}:${e.dstPort}`) >>> 0, true);
    // counter 0; the sealed packet and tag are left as zeros (no keys in a simulation).
  } else {
    tunnel = new Uint8Array(8 + inner.length);
    const v = new DataView(tunnel.buffer);
    if (e.type === 'vxlan') v.setUint8(0, 0x08);
    else v.setUint16(2, ETHERTYPE_TEB);
    v.setUint32(4, (e.vni & 0xffffff) << 8);
    tunnel.set(inner, 8);
  }
  const udpLen = 8 + tunnel.length;
  const w = new Writer(IPV4_HEADER + udpLen);
  writeIp(w, 0, e.ip, PROTO_UDP, w.bytes.length);
  w.u16(IPV4_HEADER, e.srcPort);
  w.u16(IPV4_HEADER + 2, e.dstPort);
  w.u16(IPV4_HEADER + 4, udpLen);
  w.bytes.set(tunnel, IPV4_HEADER + 8);
  if (e.type === 'wireguard') {
    const c = internetChecksum(w.bytes, IPV4_HEADER, w.bytes.length, pseudoHeaderSum(e.ip, PROTO_UDP, udpLen));
    w.u16(IPV4_HEADER + 6, c === 0 ? 0xffff : c);
  }
  return w.bytes;
}

/**
 * The packet as an IP packet (what a capture on an L3 device — tunl0, wg0 — shows, LINKTYPE_RAW),
 * every encapsulation layer included. An Ethernet-carrying tunnel (VXLAN, Geneve) carries the
 * inner frame with its Ethernet header (zero MACs if the model has none).
 */
export function ipPacketBytes(p: PacketRepr, tcp: TcpContext = defaultTcp(p)): Uint8Array {
  let bytes = innerIpPacket(p, tcp);
  let eth = p.eth;
  for (let i = p.encap.length - 1; i >= 0; i--) {
    const e = p.encap[i];
    if (e.type === 'vxlan' || e.type === 'geneve') bytes = concat([ethHeader(eth ?? { src: '', dst: '' }, ETHERTYPE_IPV4), bytes]);
    bytes = wrap(e, bytes);
    eth = e.eth;
  }
  return bytes;
}

/** The packet as an Ethernet frame with `eth` as its outermost header (LINKTYPE_ETHERNET). */
export function frameBytes(p: PacketRepr, eth: EthernetHeader, tcp: TcpContext = defaultTcp(p)): Uint8Array {
  return concat([ethHeader(eth, ETHERTYPE_IPV4), ipPacketBytes(p, tcp)]);
}
