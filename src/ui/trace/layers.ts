/**
 * The inspector's view of a packet: its headers as nested layers, outermost first, each with
 * named fields, and what changed since the previous hop of the same leg (TTL, NAT, a tunnel
 * header added or removed). Pure: the packet comes from the hop's `repr` (engine), only the
 * presentation is decided here.
 */
import { formatIpv4 } from '../../engine/addressing/ipv4';
import type { Encap, EthernetHeader, Ipv4Header, L4, PacketRepr } from '../../engine/model/packet';
import type { TraceHop } from '../../engine/trace/traceTypes';

export interface Field {
  name: string;
  value: string;
  changed?: boolean;
}

export interface Layer {
  /** Stable key for comparing hops: `outer-ip-0`, `inner-ip`, `l4`, … */
  key: string;
  title: string;
  /** Set when this layer is new at this hop (encapsulation added). */
  added?: boolean;
  /** Tunnel layers and the frame inside them are drawn one level deeper. */
  depth: number;
  fields: Field[];
}

export interface PacketLayers {
  layers: Layer[];
  /** Titles of layers the previous hop had and this one has not (decapsulation). */
  removed: string[];
}

const ICMP_TYPES: Record<number, string> = { 0: 'echo reply', 3: 'destination unreachable', 8: 'echo request', 11: 'time exceeded' };
/** IANA protocol numbers. */
const IP_PROTO: Record<string, string> = { icmp: '1 (ICMP)', tcp: '6 (TCP)', udp: '17 (UDP)', ipip: '4 (IPIP)' };

function ethLayer(key: string, title: string, eth: EthernetHeader, depth: number): Layer {
  return { key, title, depth, fields: [{ name: 'src MAC', value: eth.src }, { name: 'dst MAC', value: eth.dst }] };
}

function ipLayer(key: string, title: string, ip: Ipv4Header, proto: string, depth: number): Layer {
  return {
    key,
    title,
    depth,
    fields: [
      { name: 'src', value: formatIpv4(ip.src) },
      { name: 'dst', value: formatIpv4(ip.dst) },
      { name: 'TTL', value: String(ip.ttl) },
      { name: 'protocol', value: IP_PROTO[proto] ?? proto },
      { name: 'DF', value: ip.df ? 'set' : 'clear' },
      { name: 'id', value: `0x${ip.id.toString(16).padStart(4, '0')}` },
    ],
  };
}

function l4Layer(l4: L4, payloadLen: number, depth: number): Layer {
  if (l4.proto === 'icmp') {
    return {
      key: 'l4',
      title: 'ICMP',
      depth,
      fields: [
        { name: 'type', value: `${l4.type} (${ICMP_TYPES[l4.type] ?? 'other'})` },
        { name: 'code', value: String(l4.code) },
        { name: 'id', value: String(l4.id) },
        { name: 'seq', value: String(l4.seq) },
        { name: 'data', value: `${payloadLen} B` },
      ],
    };
  }
  const ports = [
    { name: 'src port', value: String(l4.srcPort) },
    { name: 'dst port', value: String(l4.dstPort) },
  ];
  if (l4.proto === 'tcp') return { key: 'l4', title: 'TCP', depth, fields: [...ports, { name: 'flags', value: l4.flags }, { name: 'payload', value: `${payloadLen} B` }] };
  return { key: 'l4', title: 'UDP', depth, fields: [...ports, { name: 'payload', value: `${payloadLen} B` }] };
}

function tunnelLayers(e: Encap, i: number): Layer[] {
  const out: Layer[] = [];
  const proto = e.type === 'ipip' ? 'ipip' : 'udp';
  out.push(ipLayer(`outer-ip-${i}`, `Outer IPv4 (${e.type === 'ipip' ? 'IP-in-IP' : e.type.toUpperCase()})`, e.ip, proto, i));
  if (e.type === 'ipip') return out;
  out.push({ key: `outer-udp-${i}`, title: 'Outer UDP', depth: i, fields: [{ name: 'src port', value: String(e.srcPort) }, { name: 'dst port', value: String(e.dstPort) }] });
  if (e.type === 'vxlan' || e.type === 'geneve') out.push({ key: `tunnel-${i}`, title: e.type === 'vxlan' ? 'VXLAN' : 'Geneve', depth: i, fields: [{ name: 'VNI', value: String(e.vni) }] });
  else out.push({ key: `tunnel-${i}`, title: 'WireGuard', depth: i, fields: [{ name: 'type', value: '4 (transport data, encrypted)' }] });
  return out;
}

/** The DNS message a UDP packet carries (a resolver's query, CoreDNS's answer), as dig would name its parts. */
function dnsLayer(repr: PacketRepr, depth: number): Layer | null {
  const dns = repr.dns;
  if (!dns) return null;
  const fields: Field[] = [
    { name: 'id', value: String(dns.id) },
    { name: 'flags', value: dns.flags || '(none)' },
    { name: 'question', value: `${dns.question.name} IN ${dns.question.type}` },
  ];
  if (dns.rcode) fields.push({ name: 'status', value: dns.rcode });
  for (const a of dns.answers) fields.push({ name: 'answer', value: `${a.name} ${a.ttl} IN ${a.type} ${a.data}` });
  if (dns.rcode && dns.answers.length === 0) fields.push({ name: 'answer', value: '(none)' });
  return { key: 'dns', title: dns.rcode ? 'DNS response' : 'DNS query', depth, fields };
}

/** The layers of one packet, outermost first. */
export function layersOf(repr: PacketRepr): Layer[] {
  const out: Layer[] = [];
  repr.encap.forEach((e, i) => {
    out.push(ethLayer(`outer-eth-${i}`, 'Outer Ethernet', e.eth, i));
    out.push(...tunnelLayers(e, i));
  });
  const depth = repr.encap.length;
  // VXLAN and Geneve carry an Ethernet frame; IP-in-IP and WireGuard carry the IP packet alone.
  if (repr.eth && (depth === 0 || repr.encap[depth - 1].type === 'vxlan' || repr.encap[depth - 1].type === 'geneve')) {
    out.push(ethLayer('eth', depth ? 'Inner Ethernet' : 'Ethernet', repr.eth, depth));
  }
  out.push(ipLayer('ip', depth ? 'Inner IPv4' : 'IPv4', repr.ip, repr.l4.proto, depth));
  out.push(l4Layer(repr.l4, repr.payloadLen, depth));
  const dns = dnsLayer(repr, depth);
  if (dns) out.push(dns);
  return out;
}

/** Layers of `repr`, marked against the packet at the previous hop (if any). */
export function diffLayers(repr: PacketRepr, previous?: PacketRepr): PacketLayers {
  const layers = layersOf(repr);
  if (!previous) return { layers, removed: [] };
  const before = new Map(layersOf(previous).map((l) => [l.key, l]));
  const now = new Set(layers.map((l) => l.key));
  for (const layer of layers) {
    const old = before.get(layer.key);
    if (!old) {
      layer.added = true;
      continue;
    }
    const oldFields = new Map(old.fields.map((f) => [f.name, f.value]));
    for (const f of layer.fields) if (oldFields.has(f.name) && oldFields.get(f.name) !== f.value) f.changed = true;
  }
  const removed = [...before.values()].filter((l) => !now.has(l.key)).map((l) => l.title);
  return { layers, removed };
}

/** The packet at the hop before `index` in the same leg. */
export function previousRepr(hops: TraceHop[], index: number): PacketRepr | undefined {
  return index > 0 ? hops[index - 1]?.repr : undefined;
}
