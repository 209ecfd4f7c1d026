/**
 * The pcapng encoder: exact bytes of small blocks (draft-ietf-opsawg-pcapng §4.1–4.3), checksums
 * every receiver verifies, DNS wire sizes equal to the ones dig reports, and whole files for
 * demo traces read back by tcpdump (`tcpdump -nn -e -r`), checking the headers it prints.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv4, parseIpv4 } from '../addressing/ipv4';
import { queryWireSize, responseWireSize } from '../dns/message';
import { loadCluster } from '../load';
import { CNI_MODES, type Cluster } from '../model/cluster';
import type { PacketRepr } from '../model/packet';
import { trace } from '../trace/tracer';
import type { TraceResult } from '../trace/traceTypes';
import { dnsWire } from './dnsWire';
import { enhancedPacketBlock, interfaceBlock, sectionHeaderBlock, sllHeader, tracePcapng, LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_RAW } from './pcapng';
import { twoNodeCluster } from '../trace/traceFixture';
import { frameBytes, internetChecksum, ipPacketBytes } from './packetBytes';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ip = (s: string) => parseIpv4(s)!;

describe('pcapng blocks', () => {
  it('a Section Header Block: magic, version 1.0, unknown section length, shb_userappl "podpath"', () => {
    expect(hex(sectionHeaderBlock())).toBe(
      '0a0d0d0a' + '2c000000' + '4d3c2b1a' + '0100' + '0000' + 'ffffffffffffffff' + '0400' + '0700' + '706f647061746800' + '00000000' + '2c000000',
    );
  });

  it('an Interface Description Block: link type, snaplen 0, if_name padded to 32 bits', () => {
    expect(hex(interfaceBlock(LINKTYPE_ETHERNET, 'n/eth0'))).toBe('01000000' + '24000000' + '0100' + '0000' + '00000000' + '0200' + '0600' + '6e2f657468300000' + '00000000' + '24000000');
  });

  it('an Enhanced Packet Block: interface, 64-bit microseconds split high/low, lengths, padded data, epb_flags', () => {
    const micros = (5n << 32n) + 7n;
    expect(hex(enhancedPacketBlock(3, micros, Uint8Array.of(0xaa, 0xbb, 0xcc), undefined, 'outbound'))).toBe(
      '06000000' + '30000000' + '03000000' + '05000000' + '07000000' + '03000000' + '03000000' + 'aabbcc00' + '0200' + '0400' + '02000000' + '00000000' + '30000000',
    );
  });
});

const udp = (payloadLen: number, over: Partial<PacketRepr> = {}): PacketRepr => ({
  ip: { src: ip('192.168.0.1'), dst: ip('192.168.0.199'), ttl: 64, df: true, id: 0 },
  l4: { proto: 'udp', srcPort: 1234, dstPort: 53 },
  payloadLen,
  encap: [],
  ...over,
});

/** The one's-complement sum over the pseudo-header and the segment is 0xffff when the checksum is right. */
function l4Verifies(pkt: Uint8Array, at: number): boolean {
  const len = pkt.length - at;
  const pseudo = new Uint8Array(12 + len);
  pseudo.set(pkt.subarray(12, 20), 0);
  pseudo[9] = pkt[9];
  pseudo[10] = len >> 8;
  pseudo[11] = len & 0xff;
  pseudo.set(pkt.subarray(at), 12);
  return internetChecksum(pseudo) === 0;
}

describe('packet bytes', () => {
  it('the IPv4 header checksum of RFC 1071’s textbook header (192.168.0.1 → 192.168.0.199, UDP, length 115) is 0xb861', () => {
    const b = ipPacketBytes(udp(115 - 28, { ip: { src: ip('192.168.0.1'), dst: ip('192.168.0.199'), ttl: 64, df: true, id: 0 } }));
    expect(hex(b.subarray(0, 20))).toBe('45000073000040004011b861c0a80001c0a800c7');
  });

  it('every header and L4 checksum verifies, for ICMP, TCP SYN/SYN-ACK and UDP, inside VXLAN, Geneve and IP-in-IP too', () => {
    const l4 = fc.oneof(
      fc.record({ proto: fc.constant('icmp' as const), type: fc.constantFrom(0, 8), code: fc.constant(0), id: fc.integer({ min: 0, max: 0xffff }), seq: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ proto: fc.constant('tcp' as const), srcPort: fc.integer({ min: 1, max: 0xffff }), dstPort: fc.integer({ min: 1, max: 0xffff }), flags: fc.constantFrom('S', 'SA') }),
      fc.record({ proto: fc.constant('udp' as const), srcPort: fc.integer({ min: 1, max: 0xffff }), dstPort: fc.integer({ min: 1, max: 0xffff }) }),
    );
    const hdr = fc.record({ src: fc.integer({ min: 1, max: 0xffffffff }), dst: fc.integer({ min: 1, max: 0xffffffff }), ttl: fc.integer({ min: 1, max: 255 }), df: fc.boolean(), id: fc.integer({ min: 0, max: 0xffff }) });
    const encap = fc.oneof(
      fc.constant(null),
      fc.record({ type: fc.constantFrom('vxlan' as const, 'geneve' as const), eth: fc.constant({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }), ip: hdr, srcPort: fc.integer({ min: 32768, max: 60999 }), dstPort: fc.constantFrom(4789, 8472, 6081), vni: fc.integer({ min: 0, max: 0xffffff }) }),
      fc.record({ type: fc.constant('ipip' as const), eth: fc.constant({ src: '', dst: '' }), ip: hdr }),
    );
    fc.assert(
      fc.property(hdr, l4, fc.integer({ min: 0, max: 1400 }), encap, (h, l, len, e) => {
        const p: PacketRepr = { ip: h, l4: l, payloadLen: len, encap: e ? [e] : [], eth: { src: '02:00:00:00:00:03', dst: '02:00:00:00:00:04' } };
        const b = ipPacketBytes(p);
        expect(internetChecksum(b, 0, 20)).toBe(0);
        let inner = b;
        if (e && e.type === 'ipip') inner = b.subarray(20);
        else if (e) {
          expect(b[9]).toBe(17);
          expect(b[26] << 8 | b[27]).toBe(0); // the tunnel's outer UDP checksum: zero, as Linux sends it
          expect((b[32] << 16) | (b[33] << 8) | b[34]).toBe(e.vni);
          inner = b.subarray(20 + 8 + 8 + 14);
        }
        expect(internetChecksum(inner, 0, 20)).toBe(0);
        expect(inner.length).toBe((inner[2] << 8) | inner[3]);
        if (l.proto === 'icmp') expect(internetChecksum(inner, 20)).toBe(0);
        else expect(l4Verifies(inner, 20)).toBe(true);
      }),
    );
  });

  it('a frame starts with destination MAC, source MAC and EtherType 0x0800', () => {
    const f = frameBytes(udp(0), { src: '0a:0b:0c:0d:0e:0f', dst: 'ff:ee:dd:cc:bb:aa' });
    expect(hex(f.subarray(0, 14))).toBe('ffeeddccbbaa0a0b0c0d0e0f0800');
  });

  it('DNS messages have the wire size the DNS layer computes (question; answers with name compression)', () => {
    const name = 'web.default.svc.cluster.local.';
    const q = dnsWire({ id: 0x1234, flags: 'rd', question: { name, type: 'A' }, answers: [] });
    expect(q.length).toBe(queryWireSize({ id: 0x1234, question: { name, type: 'A' }, rd: true }));
    expect(hex(q.subarray(0, 12))).toBe('123401000001000000000000');
    const answers = [{ name, ttl: 30, type: 'A', data: '10.96.0.10' }];
    const r = dnsWire({ id: 0x1234, flags: 'qr aa rd', rcode: 'NOERROR', question: { name, type: 'A' }, answers });
    expect(r.length).toBe(responseWireSize({ id: 0x1234, question: { name, type: 'A' }, rcode: 'NOERROR', aa: true, ra: false, rd: true, answer: [{ name, ttl: 30, type: 'A', data: '10.96.0.10' }], authority: [], additional: [] }));
    expect(hex(r.subarray(r.length - 16))).toBe('c00c' + '0001' + '0001' + '0000001e' + '0004' + '0a60000a');
  });
});

/** The interfaces and packets of a file this encoder wrote (little-endian, one section). */
function blocksOf(bytes: Uint8Array) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifaces: { linkType: number; name: string }[] = [];
  const packets: { iface: number; data: Uint8Array }[] = [];
  for (let at = 0; at < bytes.length; at += v.getUint32(at + 4, true)) {
    const type = v.getUint32(at, true);
    expect(v.getUint32(at + v.getUint32(at + 4, true) - 4, true)).toBe(v.getUint32(at + 4, true));
    if (type === 1) {
      const nameLen = v.getUint16(at + 18, true);
      ifaces.push({ linkType: v.getUint16(at + 8, true), name: new TextDecoder().decode(bytes.subarray(at + 20, at + 20 + nameLen)) });
    }
    if (type === 6) packets.push({ iface: v.getUint32(at + 8, true), data: bytes.subarray(at + 28, at + 28 + v.getUint32(at + 20, true)) });
  }
  return { ifaces, packets };
}

describe('interfaces', () => {
  it('every CNI mode: each packet names a declared interface and its outer IPv4 header checksum verifies', () => {
    for (const mode of CNI_MODES) {
      for (const wireguard of mode.startsWith('calico') || mode.startsWith('cilium') ? [false, true] : [false]) {
        const c = twoNodeCluster(mode, { wireguard });
        for (const to of ['b', 'c']) {
          const t = trace(c, { from: 'a', to, proto: 'tcp', port: 80 });
          const { ifaces, packets } = blocksOf(tracePcapng(c, t));
          expect(packets.length, `${mode} a → ${to}`).toBeGreaterThan(0);
          // One link type per file: libpcap (tcpdump -r) reads no other.
          expect(new Set(ifaces.map((i) => i.linkType)).size, `${mode} wireguard ${wireguard}`).toBe(1);
          for (const p of packets) {
            const iface = ifaces[p.iface];
            expect(iface, mode).toBeDefined();
            const ipAt = iface.linkType === LINKTYPE_ETHERNET ? 14 : iface.linkType === LINKTYPE_LINUX_SLL ? 16 : 0;
            expect(p.data[ipAt] >> 4, `${mode} ${iface.name}`).toBe(4);
            expect(internetChecksum(p.data, ipAt, ipAt + 20), `${mode} ${iface.name}`).toBe(0);
          }
        }
      }
    }
  });

  it('tunl0 (IP-in-IP, no link layer) next to Ethernet devices: the file is Linux cooked throughout, tunl0 ARPHRD_TUNNEL with the inner IP packet, the node NIC ARPHRD_ETHER with the outer IP-in-IP one', () => {
    const c = twoNodeCluster('calico-ipip');
    const t = trace(c, { from: 'a', to: 'c', proto: 'icmp' });
    expect(t.verdict).toBe('delivered');
    const { ifaces, packets } = blocksOf(tracePcapng(c, t));
    expect(ifaces.every((i) => i.linkType === LINKTYPE_LINUX_SLL)).toBe(true);
    const tunl = ifaces.findIndex((i) => i.name === 'node-1/tunl0');
    const onTunl = packets.filter((p) => p.iface === tunl);
    expect(onTunl.length).toBeGreaterThan(0);
    for (const p of onTunl) {
      expect(hex(p.data.subarray(0, 16))).toBe(hex(sllHeader(768, p.data[1]))); // ARPHRD_TUNNEL, no link-layer address
      expect([0, 4]).toContain(p.data[1]);
      expect(p.data[16]).toBe(0x45);
      expect(p.data[16 + 9]).toBe(1); // the inner ICMP packet, not the outer protocol-4 one
    }
    // The packet type: sent by us on the sending pod's eth0, to us on its veth peer.
    const podEth0 = ifaces.findIndex((i) => i.name.endsWith('/a/eth0'));
    expect(packets.find((p) => p.iface === podEth0)!.data[1]).toBe(4);
    const eth0 = ifaces.findIndex((i) => i.name === 'node-1/eth0');
    const outer = packets.find((p) => p.iface === eth0)!.data;
    expect(hex(outer.subarray(14, 16))).toBe('0800');
    expect(hex(outer.subarray(2, 4))).toBe('0001'); // ARPHRD_ETHER
    expect(outer[5]).toBe(6); // the sender's MAC
    expect(outer[16 + 9]).toBe(4); // IP-in-IP
    expect(outer[16 + 20 + 9]).toBe(1);
  });

  it('a trace with only Ethernet devices keeps LINKTYPE_ETHERNET frames; one with only raw devices would keep LINKTYPE_RAW', () => {
    const c = twoNodeCluster('calico');
    const { ifaces } = blocksOf(tracePcapng(c, trace(c, { from: 'a', to: 'c', proto: 'icmp' })));
    expect(ifaces.every((i) => i.linkType === LINKTYPE_ETHERNET)).toBe(true);
    expect(LINKTYPE_RAW).toBe(101);
  });
});

// ── whole files, read back by tcpdump ─────────────────────────────────────

const hasTcpdump = spawnSync('tcpdump', ['--version']).status === 0;
if (!hasTcpdump) console.warn('pcapng.test.ts: tcpdump is not installed: the read-back tests are skipped (apt-get install tcpdump)');

function demo(): Cluster {
  const text = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');
  const r = loadCluster([{ name: 'demo.yaml', text }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

function tcpdump(bytes: Uint8Array, ...flags: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'podpath-pcap-')), 'trace.pcapng');
  writeFileSync(file, bytes);
  const r = spawnSync('tcpdump', ['-nn', '-e', ...flags, '-r', file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const framesOf = (t: TraceResult) => [...t.hops, ...(t.reply?.hops ?? [])];

describe.skipIf(!hasTcpdump)('tcpdump reads the files back', () => {
  const c = demo();
  const podOn = (node: string) => [...c.pods.values()].find((p) => p.meta.name.startsWith('web-') && p.nodeName === node)!;
  const client = c.pods.get('default/client')!;

  it('a cross-node flannel ping: inner MACs on the pod links, the VXLAN outer header (node MACs and IPs, VNI 1) on the underlay', () => {
    const target = podOn('worker-2');
    const t = trace(c, { from: 'client', to: target.meta.name, proto: 'icmp' });
    expect(t.verdict).toBe('delivered');
    const bytes = tracePcapng(c, t);
    const out = tcpdump(bytes, '-T', 'vxlan');
    // One line per packet (tcpdump prints a VXLAN packet's inner frame on a line of its own, without a timestamp).
    const lines = out.trim().split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{6} /.test(l));
    const clientIp = formatIpv4(client.attachment!.ip);
    const targetIp = formatIpv4(target.attachment!.ip);
    const wire = t.hops.find((h) => h.action === 'wire')!.repr!;
    const outer = wire.encap[0];
    expect(outer.type).toBe('vxlan');
    // tcpdump -T vxlan decodes port 8472 as VXLAN: outer Ethernet, outer IPs and ports, the VNI, then the inner frame.
    expect(out).toContain(`${outer.eth.src} > ${outer.eth.dst}, ethertype IPv4 (0x0800), length 148: ${formatIpv4(outer.ip.src)}.${(outer as { srcPort: number }).srcPort} > ${formatIpv4(outer.ip.dst)}.8472: VXLAN, flags [I] (0x08), vni 1`);
    const first = t.hops.find((h) => h.repr?.eth)!.repr!.eth!;
    expect(lines[0]).toContain(`${first.src} > ${first.dst}, ethertype IPv4 (0x0800), length 98: ${clientIp} > ${targetIp}: ICMP echo request`);
    expect(out).toContain(`${targetIp} > ${clientIp}: ICMP echo reply`);
    // One packet per hop that has a device and a frame; timestamps in hop order.
    expect(lines.length).toBe(framesOf(t).filter((h) => h.device).length);
    const times = lines.map((l) => l.slice(0, 15));
    expect([...times].sort()).toEqual(times);
    // Deterministic: the same trace gives the same bytes.
    expect(hex(tracePcapng(c, trace(c, { from: 'client', to: target.meta.name, proto: 'icmp' })))).toBe(hex(bytes));
  });

  it('Calico IP-in-IP and WireGuard: tcpdump reads the cooked file, the outer protocol-4 header on the underlay and the inner ping on tunl0', () => {
    for (const [cni, wireguard] of [['calico-ipip', false], ['calico', true]] as const) {
      const text = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8').replace('cni: flannel', `cni: ${cni}`).replace('kubeProxy: iptables', `kubeProxy: iptables\n  wireguard: ${wireguard}`);
      const r = loadCluster([{ name: 'demo.yaml', text }]);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const cc = r.value;
      const target = [...cc.pods.values()].find((p) => p.meta.name.startsWith('web-') && p.nodeName === 'worker-2')!;
      const t = trace(cc, { from: 'client', to: target.meta.name, proto: 'icmp' });
      expect(t.verdict).toBe('delivered');
      const out = tcpdump(tracePcapng(cc, t));
      const clientIp = formatIpv4(cc.pods.get('default/client')!.attachment!.ip);
      const targetIp = formatIpv4(target.attachment!.ip);
      expect(out, cni).toContain(`${clientIp} > ${targetIp}: ICMP echo request`);
      expect(out, cni).toContain(`${targetIp} > ${clientIp}: ICMP echo reply`);
      if (!wireguard) expect(out).toMatch(/192\.168\.1\.11 > 192\.168\.1\.12: 10\.244\.\d+\.\d+ > 10\.244\.\d+\.\d+: ICMP echo request/); // IP-in-IP: outer, then inner
      else expect(out).toContain('192.168.1.11.51820 > 192.168.1.12.51820: UDP');
      const lines = out.trim().split('\n');
      expect(lines.length).toBe(framesOf(t).filter((h) => h.device && h.repr).length);
    }
  });

  it('a Service trace: the ClusterIP before the DNAT, the endpoint after it, ports, and correct checksums', () => {
    const vip = (c.objects.get('Service/default/web')!.manifest as { spec: { clusterIP: string } }).spec.clusterIP;
    const t = trace(c, { from: 'client', to: vip, proto: 'tcp', port: 80 });
    expect(t.verdict).toBe('delivered');
    const syn = t.hops[0].repr!;
    const port = syn.l4.proto === 'tcp' ? syn.l4.srcPort : 0;
    const dnat = t.hops.find((h) => h.action === 'netfilter' && h.detail.includes('DNAT'))!.repr!;
    const out = tcpdump(tracePcapng(c, t), '-v');
    const clientIp = formatIpv4(client.attachment!.ip);
    expect(out).toContain(`${clientIp}.${port} > ${vip}.80: Flags [S], cksum`);
    expect(out).toContain(`${clientIp}.${port} > ${formatIpv4(dnat.ip.dst)}.80: Flags [S], cksum`);
    expect(out).toContain(`${vip}.80 > ${clientIp}.${port}: Flags [S.], cksum`);
    expect(out).not.toMatch(/incorrect|bad cksum/);
    expect(out.match(/\(correct\)/g)?.length).toBeGreaterThan(4);
  });

  it('a DNS query to kube-dns: tcpdump decodes the question and the answer', () => {
    const dnsIp = (c.objects.get('Service/kube-system/kube-dns')!.manifest as { spec: { clusterIP: string } }).spec.clusterIP;
    const name = 'web.default.svc.cluster.local.';
    const vip = (c.objects.get('Service/default/web')!.manifest as { spec: { clusterIP: string } }).spec.clusterIP;
    const t = trace(c, {
      from: 'client', to: dnsIp, proto: 'udp', port: 53, size: 47, replySize: 63,
      dns: { id: 0xbeef, flags: 'rd', question: { name, type: 'A' }, answers: [] },
      replyDns: { id: 0xbeef, flags: 'qr aa rd', rcode: 'NOERROR', question: { name, type: 'A' }, answers: [{ name, ttl: 30, type: 'A', data: vip }] },
    });
    expect(t.verdict).toBe('delivered');
    const out = tcpdump(tracePcapng(c, t));
    expect(out).toContain(`.53: 48879+ A? ${name} (47)`);
    expect(out).toContain(`${dnsIp}.53 > `);
    expect(out).toContain(`48879*- 1/0/0 A ${vip} (63)`);
  });
});
