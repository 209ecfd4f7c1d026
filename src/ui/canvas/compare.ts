/**
 * What the compare view says about one trace, read from its hops: how many, the biggest packet
 * on the wire, and the encapsulation it carried there. The byte counts are the engine's
 * (PacketView.size, Ethernet included on a link), so the overhead is the packet on the node
 * network minus the same packet on a link without encapsulation (the pod's veth).
 */
import type { TraceResult } from '../../engine/trace/traceTypes';
import { encapLabel } from '../trace/playback';

export interface CompareSide {
  hops: number;
  /** The packet on a link without encapsulation (the pod's veth), bytes. */
  plainSize: number;
  /** Size on the node network (the wire hop; the largest size when there is none). */
  wireSize: number;
  /** wireSize − plainSize: the bytes the encapsulation adds. */
  overhead: number;
  /** `VXLAN 192.168.1.11 → 192.168.1.12 vni 1 :8472`, or '' when routed natively. */
  encap: string;
  /** The headers the encapsulation adds, in order. */
  headers: string;
}

/** The outer headers of each encapsulation (RFC 7348 VXLAN, RFC 2003 IP-in-IP, WireGuard's transport data message, RFC 8926 Geneve). */
const HEADERS: Record<string, string> = {
  vxlan: 'outer Ethernet + IPv4 + UDP + VXLAN',
  ipip: 'outer IPv4',
  wireguard: 'outer IPv4 + UDP + WireGuard',
  geneve: 'outer Ethernet + IPv4 + UDP + Geneve',
};

export function compareSummary(result: TraceResult): CompareSide {
  const hops = result.hops;
  const plainSize = Math.max(0, ...hops.filter((h) => !h.packet.encap).map((h) => h.packet.size));
  const wire = hops.find((h) => h.action === 'wire');
  const wireSize = wire?.packet.size ?? Math.max(0, ...hops.map((h) => h.packet.size));
  const encapHop = wire?.packet.encap ? wire : hops.find((h) => h.packet.encap);
  const type = encapHop?.packet.encap?.type;
  return {
    hops: hops.length + (result.reply?.hops.length ?? 0),
    plainSize,
    wireSize,
    overhead: Math.max(0, wireSize - plainSize),
    encap: encapHop ? encapLabel(encapHop) : '',
    headers: type ? (HEADERS[type] ?? type) : '',
  };
}
