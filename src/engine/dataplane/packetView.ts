/** The packet as hops show it (PacketView): inner addresses, the outermost encapsulation, bytes on the wire. */
import { formatIpv4 } from '../addressing/ipv4';
import { frameLen, type PacketRepr } from '../model/packet';
import type { EncapView, PacketView } from '../trace/traceTypes';

export function viewOf(p: PacketRepr): PacketView {
  const v: PacketView = { src: formatIpv4(p.ip.src), dst: formatIpv4(p.ip.dst), proto: p.l4.proto, ttl: p.ip.ttl, size: frameLen(p) };
  if (p.l4.proto !== 'icmp') {
    v.srcPort = p.l4.srcPort;
    v.dstPort = p.l4.dstPort;
  }
  const e = p.encap[0];
  if (e) {
    const enc: EncapView = { type: e.type, src: formatIpv4(e.ip.src), dst: formatIpv4(e.ip.dst) };
    if (e.type !== 'ipip') enc.dstPort = e.dstPort;
    if (e.type === 'vxlan' || e.type === 'geneve') enc.vni = e.vni;
    v.encap = enc;
  }
  return v;
}
