/**
 * Packets as parsed representations (smoltcp's `Repr`): only valid states are expressible.
 * Sizes follow the wire: IPv4 header 20 (RFC 791), ICMP echo header 8 (RFC 792), UDP 8
 * (RFC 768), TCP 20 without options (RFC 9293; a SYN carries options, see tcpSynHeaderLen),
 * Ethernet 14, VXLAN 8 (RFC 7348).
 */
import type { Ipv4 } from '../addressing/ipv4';

export type L4 =
  | { proto: 'icmp'; type: number; code: number; id: number; seq: number }
  | { proto: 'tcp'; srcPort: number; dstPort: number; flags: string }
  | { proto: 'udp'; srcPort: number; dstPort: number };

export interface Ipv4Header {
  src: Ipv4;
  dst: Ipv4;
  ttl: number;
  /** Don't Fragment bit. */
  df: boolean;
  id: number;
}

export interface EthernetHeader {
  src: string;
  dst: string;
}

/** Outer headers added by a tunnel; `inner` is the packet as it was before. */
export type Encap =
  | { type: 'vxlan'; eth: EthernetHeader; ip: Ipv4Header; srcPort: number; dstPort: number; vni: number }
  | { type: 'ipip'; eth: EthernetHeader; ip: Ipv4Header }
  | { type: 'wireguard'; eth: EthernetHeader; ip: Ipv4Header; srcPort: number; dstPort: number }
  | { type: 'geneve'; eth: EthernetHeader; ip: Ipv4Header; srcPort: number; dstPort: number; vni: number };

export interface PacketRepr {
  /** Present once the packet is a frame on an L2 link. */
  eth?: EthernetHeader;
  ip: Ipv4Header;
  l4: L4;
  /** Bytes after the L4 header (ICMP data, TCP/UDP payload). */
  payloadLen: number;
  /** Outermost first. */
  encap: Encap[];
  /**
   * Set once the sender or a router fragmented the packet (DF clear): the trace follows the first
   * fragment (`payloadLen` is its share) and the receiving stack reassembles the whole datagram.
   */
  fragment?: { originalPayloadLen: number; count: number };
  /**
   * The DNS message the UDP payload carries, when the model sent one (a resolver's query, CoreDNS's
   * answer). Carried along untouched by every hop — NAT rewrites addresses, not the message — and
   * read only by whoever shows the packet.
   */
  dns?: DnsMessageView;
}

export interface DnsMessageView {
  id: number;
  /** Header flags as dig prints them: `qr aa rd`. */
  flags: string;
  question: { name: string; type: string };
  /** Present on a response. */
  rcode?: string;
  answers: { name: string; ttl: number; type: string; data: string }[];
}

export const IPV4_HEADER = 20;
export const ICMP_HEADER = 8;
export const UDP_HEADER = 8;
export const TCP_HEADER = 20;
/** A Linux SYN carries MSS, SACK-permitted, timestamps and window scale: 20 bytes of options. */
export const TCP_SYN_OPTIONS = 20;
export const ETHERNET_HEADER = 14;
export const VXLAN_HEADER = 8;
/** WireGuard transport data message header (16) + Poly1305 tag (16), over UDP (RFC-less; wireguard.com/protocol). */
export const WIREGUARD_OVERHEAD = 32;

export function l4HeaderLen(l4: L4): number {
  if (l4.proto === 'icmp') return ICMP_HEADER;
  if (l4.proto === 'udp') return UDP_HEADER;
  return TCP_HEADER + (l4.flags === 'S' || l4.flags === 'SA' ? TCP_SYN_OPTIONS : 0);
}

/** IPv4 total length of the inner packet. */
export function innerIpLen(p: PacketRepr): number {
  return IPV4_HEADER + l4HeaderLen(p.l4) + p.payloadLen;
}

/** Bytes of the outer IP packet including every encapsulation layer (what an MTU check compares). */
export function ipLen(p: PacketRepr): number {
  let len = innerIpLen(p);
  for (let i = p.encap.length - 1; i >= 0; i--) {
    const e = p.encap[i];
    if (e.type === 'vxlan' || e.type === 'geneve') len += IPV4_HEADER + UDP_HEADER + VXLAN_HEADER + ETHERNET_HEADER;
    else if (e.type === 'ipip') len += IPV4_HEADER;
    else len += IPV4_HEADER + UDP_HEADER + WIREGUARD_OVERHEAD;
  }
  return len;
}

/** Bytes on the wire as a frame (adds the outer Ethernet header when the packet is on an L2 link). */
export function frameLen(p: PacketRepr): number {
  return ipLen(p) + (p.eth || p.encap.length ? ETHERNET_HEADER : 0);
}
