/**
 * `tracePcapng(cluster, traces)`: a trace (or several, one after the other: a name lookup's DNS
 * queries and the packet that followed, an ingress request's two connections) as a pcapng file (draft-ietf-opsawg-pcapng: Section
 * Header Block §4.1, Interface Description Block §4.2, Enhanced Packet Block §4.3, options §3.5),
 * so a student can open the hops in Wireshark or `tcpdump -r`.
 *
 * - One Interface Description Block per device a hop is on, named `NODE/DEV` for a node's
 *   namespace, `NAMESPACE/POD/DEV` for a pod's, `net/SEGMENT` for the node network itself, with
 *   the network namespace in if_description. Link type: Ethernet (1) — also for veths, bridges,
 *   VXLAN devices and lo, which Linux captures with an Ethernet header — and LINKTYPE_RAW (101)
 *   for devices without a link layer (tunl0 is ARPHRD_TUNNEL, wireguard ARPHRD_NONE: libpcap's
 *   pcap-linux.c maps both to DLT_RAW, `tcpdump -i tunl0` prints "link-type RAW").
 *   libpcap (tcpdump -r) reads a pcapng file only when all its interfaces share one link type
 *   (sf-pcapng.c: "an interface has a type 101 different from the type of the first
 *   interface"), so a trace that crosses both kinds (Calico IP-in-IP, WireGuard) is written as
 *   `tcpdump -i any` on a node writes it: LINKTYPE_LINUX_SLL (113) for every interface, each
 *   packet behind the cooked header (the packet type, the device's ARPHRD_ type, the sender's
 *   MAC when the device has one, the EtherType) — Wireshark and tcpdump both read it, and the
 *   Interface Description Blocks still name each device. (Not SLL2: its ifindex would be
 *   printed by tcpdump as the name of the reading machine's interface with that index.)
 * - One Enhanced Packet Block per hop, in hop order (the request leg, then the reply leg), with
 *   the packet as a capture on that device shows it: the outer VXLAN/Geneve/IP-in-IP/WireGuard
 *   headers on the underlay, the inner packet on the tunnel device itself (also on the encap hop,
 *   whose device is the tunnel). A hop before the neighbour lookup has no Ethernet header yet: it
 *   shows the frame that device then sends (the later hop on the same device in the leg). A hop
 *   with no device (an ICMP error's origin) or whose frame never exists (dropped before any MAC
 *   is known) is left out; each block's comment names its hop, so the numbering can be followed.
 * - Timestamps (microseconds, the default if_tsresol) come from the simulated clock: the
 *   cluster's `now` after the scenario epoch, plus 10 µs per hop — an order, not a latency model.
 *
 * Pure and deterministic: the same cluster and trace give the same bytes.
 */
import { networkOf } from '../cni/network';
import type { Cluster } from '../model/cluster';
import type { LinkKind } from '../model/netns';
import type { EthernetHeader, PacketRepr } from '../model/packet';
import type { NetnsId } from '../model/ids';
import { decap, outerEth } from '../dataplane/packetOps';
import type { TraceHop, TraceResult } from '../trace/traceTypes';
import { EPOCH_MS } from '../sim/clock';
import { defaultTcp, ETHERTYPE_IPV4, frameBytes, ipPacketBytes, macBytes, type TcpContext } from './packetBytes';

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
/** Linux cooked capture (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html). */
export const LINKTYPE_LINUX_SLL = 113;
/** Microseconds between two hops' timestamps. */
export const HOP_MICROS = 10;

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const EPB_FLAGS = 2;

const utf8 = (s: string) => new TextEncoder().encode(s);
const pad4 = (n: number) => (n + 3) & ~3;

export interface PcapOption {
  code: number;
  value: Uint8Array;
}

/** Options (§3.5): code, length, value padded to 32 bits; opt_endofopt closes a non-empty list. */
export function encodeOptions(opts: PcapOption[]): Uint8Array {
  if (!opts.length) return new Uint8Array(0);
  const len = opts.reduce((n, o) => n + 4 + pad4(o.value.length), 4);
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  let at = 0;
  for (const o of opts) {
    v.setUint16(at, o.code, true);
    v.setUint16(at + 2, o.value.length, true);
    out.set(o.value, at + 4);
    at += 4 + pad4(o.value.length);
  }
  v.setUint16(at, OPT_ENDOFOPT, true);
  return out;
}

/** A block (§3.1): type, total length, body padded to 32 bits, total length again. Little-endian. */
function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, total, true);
  out.set(body, 8);
  v.setUint32(total - 4, total, true);
  return out;
}

function withOptions(fixed: Uint8Array, opts: PcapOption[]): Uint8Array {
  const o = encodeOptions(opts);
  const body = new Uint8Array(fixed.length + o.length);
  body.set(fixed, 0);
  body.set(o, fixed.length);
  return body;
}

/** Section Header Block: byte-order magic, version 1.0, section length −1 (not given), shb_userappl. */
export function sectionHeaderBlock(userappl = 'podpath', comment?: string): Uint8Array {
  const fixed = new Uint8Array(16);
  const v = new DataView(fixed.buffer);
  v.setUint32(0, BYTE_ORDER_MAGIC, true);
  v.setUint16(4, 1, true);
  v.setUint16(6, 0, true);
  v.setBigInt64(8, -1n, true);
  const opts: PcapOption[] = [];
  if (comment) opts.push({ code: OPT_COMMENT, value: utf8(comment) });
  opts.push({ code: SHB_USERAPPL, value: utf8(userappl) });
  return block(SHB, withOptions(fixed, opts));
}

/** Interface Description Block: link type, reserved, snaplen 0 (no limit), if_name, if_description. */
export function interfaceBlock(linkType: number, name: string, description?: string): Uint8Array {
  const fixed = new Uint8Array(8);
  const v = new DataView(fixed.buffer);
  v.setUint16(0, linkType, true);
  v.setUint32(4, 0, true);
  const opts: PcapOption[] = [{ code: IF_NAME, value: utf8(name) }];
  if (description) opts.push({ code: IF_DESCRIPTION, value: utf8(description) });
  return block(IDB, withOptions(fixed, opts));
}

export type Direction = 'inbound' | 'outbound' | undefined;

/** Enhanced Packet Block: interface id, timestamp (high, low 32 bits), captured = original length, data, opt_comment, epb_flags. */
export function enhancedPacketBlock(iface: number, micros: bigint, data: Uint8Array, comment?: string, direction?: Direction): Uint8Array {
  const fixed = new Uint8Array(20 + pad4(data.length));
  const v = new DataView(fixed.buffer);
  v.setUint32(0, iface, true);
  v.setUint32(4, Number(micros >> 32n), true);
  v.setUint32(8, Number(micros & 0xffffffffn), true);
  v.setUint32(12, data.length, true);
  v.setUint32(16, data.length, true);
  fixed.set(data, 20);
  const opts: PcapOption[] = [];
  if (comment) opts.push({ code: OPT_COMMENT, value: utf8(comment) });
  if (direction) {
    // epb_flags bits 0-1: 01 inbound, 10 outbound.
    const f = new Uint8Array(4);
    new DataView(f.buffer).setUint32(0, direction === 'inbound' ? 1 : 2, true);
    opts.push({ code: EPB_FLAGS, value: f });
  }
  return block(EPB, withOptions(fixed, opts));
}

/** Devices with no link-layer header in a capture. */
const RAW_KINDS: ReadonlySet<LinkKind> = new Set(['ipip', 'wireguard']);

interface Iface {
  index: number;
  linkType: number;
  kind?: LinkKind;
  /** The device's own MAC: a frame it sent is outgoing. */
  mac?: string;
}

/** if_arp.h: ARPHRD_ETHER, ARPHRD_TUNNEL (ipip), ARPHRD_LOOPBACK, ARPHRD_NONE (wireguard). */
function arphrdOf(kind: LinkKind | undefined): number {
  if (kind === 'ipip') return 768;
  if (kind === 'wireguard') return 0xfffe;
  if (kind === 'loopback') return 772;
  return 1;
}

/**
 * The 16-byte LINKTYPE_LINUX_SLL header (all big-endian): packet type (0 to us, 1 broadcast,
 * 4 sent by us), ARPHRD_ type, link-layer address length, the sender's address padded to 8
 * bytes, protocol (EtherType).
 */
export function sllHeader(arphrd: number, packetType: number, srcMac?: string): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setUint16(0, packetType);
  v.setUint16(2, arphrd);
  if (srcMac) {
    v.setUint16(4, 6);
    out.set(macBytes(srcMac), 6);
  }
  v.setUint16(14, ETHERTYPE_IPV4);
  return out;
}

function ifaceName(h: TraceHop): string {
  if (h.netns.startsWith('net/')) return h.netns;
  const slash = h.netns.indexOf('/');
  return `${h.netns.slice(slash + 1)}/${h.device}`;
}

function ifaceDescription(h: TraceHop): string {
  if (h.netns.startsWith('net/')) return `node network segment ${h.netns.slice(4)}`;
  return `${h.device} in network namespace ${h.netns}${h.node && !h.netns.startsWith('node/') ? ` on ${h.node}` : ''}`;
}

function direction(h: TraceHop): Direction {
  if (h.action === 'veth' || h.action === 'decap' || h.action === 'bpf') return 'inbound';
  if (h.action === 'neigh' || h.action === 'arp' || h.action === 'xmit' || h.action === 'encap') return 'outbound';
  return undefined;
}

const hasMacs = (e: EthernetHeader | undefined): e is EthernetHeader => !!e && e.src !== '' && e.dst !== '';

/** The packet a capture on the hop's device shows (the encap hop's device is the tunnel: its inner packet). */
function onDevice(h: TraceHop): PacketRepr | undefined {
  if (!h.repr) return undefined;
  return h.action === 'encap' && h.repr.encap.length ? decap(h.repr) : h.repr;
}

/** The frame's Ethernet header: the hop's own, or the one its device sends the packet with later (or had earlier) in this leg. */
function ethFor(hops: TraceHop[], i: number): EthernetHeader | undefined {
  const here = onDevice(hops[i]);
  const own = here && outerEth(here);
  if (hasMacs(own)) return own;
  const same = (h: TraceHop) => h.netns === hops[i].netns && h.device === hops[i].device;
  for (const order of [1, -1]) {
    for (let j = i + order; j >= 0 && j < hops.length; j += order) {
      if (!same(hops[j])) continue;
      const p = onDevice(hops[j]);
      const e = p && outerEth(p);
      if (hasMacs(e) && p && here && p.encap.length === here.encap.length) return e;
    }
  }
  return undefined;
}

export interface PcapOptions {
  /** A comment for the section (e.g. the trace request). */
  comment?: string;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The trace's hops as a pcapng file. Returns the bytes; never throws for a trace the tracer made
 * (hops without a device or a frame are left out, as said above).
 */
export function tracePcapng(cluster: Cluster, traces: TraceResult | TraceResult[], opts: PcapOptions = {}): Uint8Array<ArrayBuffer> {
  const all = Array.isArray(traces) ? traces : [traces];
  const net = networkOf(cluster);
  const ifaces = new Map<string, Iface>();
  const blocks: Uint8Array[] = [sectionHeaderBlock('podpath', opts.comment)];
  const base = BigInt(EPOCH_MS) * 1000n + BigInt(Math.round(cluster.now * 1e6));
  const linkOf = (h: TraceHop) => (h.netns.startsWith('net/') ? undefined : net.get(h.netns as NetnsId)?.links.find((l) => l.name === h.device));
  const kindOf = (h: TraceHop): LinkKind | undefined => (h.netns.startsWith('net/') ? 'ether' : linkOf(h)?.kind);
  // A device without a link layer next to Ethernet ones: one link type for all (see above).
  const hopsWithDevice = all.flatMap((t) => [...t.hops, ...(t.reply?.hops ?? [])]).filter((h) => h.device && h.repr);
  const raw = hopsWithDevice.map((h) => RAW_KINDS.has(kindOf(h)!));
  const cooked = raw.some((r) => r) && raw.some((r) => !r);
  let tick = 0;
  all.forEach((trace, n) => {
    const first = trace.hops.find((h) => h.repr)?.repr;
    const tcp: TcpContext = first ? defaultTcp(first) : { clientIsn: 0, serverIsn: 0, mss: 1460 };
    const sender = trace.hops[0];
    const mtu = sender ? net.get(sender.netns as NetnsId)?.links.find((l) => l.name === sender.device)?.mtu : undefined;
    if (mtu) tcp.mss = mtu - 40;
    const legs = [{ name: 'request', hops: trace.hops }, ...(trace.reply ? [{ name: 'reply', hops: trace.reply.hops }] : [])];
    for (const leg of legs) {
      leg.hops.forEach((h, i) => {
        const micros = base + BigInt(tick++ * HOP_MICROS);
        const p = onDevice(h);
        if (!p || !h.device) return;
        const key = `${h.netns}|${h.device}`;
        let iface = ifaces.get(key);
        if (!iface) {
          const kind = kindOf(h);
          const linkType = cooked ? LINKTYPE_LINUX_SLL : kind && RAW_KINDS.has(kind) ? LINKTYPE_RAW : LINKTYPE_ETHERNET;
          const mac = linkOf(h)?.mac;
          iface = { index: ifaces.size, linkType, ...(kind ? { kind } : {}), ...(mac ? { mac } : {}) };
          ifaces.set(key, iface);
          blocks.push(interfaceBlock(iface.linkType, ifaceName(h), ifaceDescription(h)));
        }
        const dir = direction(h);
        let data: Uint8Array;
        if (iface.kind && RAW_KINDS.has(iface.kind)) {
          data = ipPacketBytes(p, tcp);
          if (cooked) data = concatBytes(sllHeader(arphrdOf(iface.kind), dir === 'outbound' ? 4 : 0), data);
        } else {
          const eth = iface.kind === 'loopback' ? { src: '00:00:00:00:00:00', dst: '00:00:00:00:00:00' } : ethFor(leg.hops, i);
          if (!eth) return;
          if (cooked) {
            const type = dir === 'outbound' || eth.src === iface.mac ? 4 : eth.dst === 'ff:ff:ff:ff:ff:ff' ? 1 : 0;
            data = concatBytes(sllHeader(arphrdOf(iface.kind), type, eth.src), ipPacketBytes(p, tcp));
          } else data = frameBytes(p, eth, tcp);
        }
        const which = all.length > 1 ? `packet ${n + 1} ` : '';
        blocks.push(enhancedPacketBlock(iface.index, micros, data, `${which}hop ${i + 1} (${leg.name}) ${h.action}: ${h.detail}`, dir));
      });
    }
  });
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
