/**
 * A DNS message in wire format (RFC 1035 §4.1) from the view a packet carries
 * (`DnsMessageView`: id, dig's flags, the question, rcode, the answer section): header, question,
 * answer records with name compression (§4.1.4). The view has no authority/additional sections or
 * OPT record, so those are absent here (a capture of the real exchange may be longer).
 */
import { RCODE_NUMBERS, RR_TYPE_CODES, type Rcode, type RrType } from '../dns/message';
import type { DnsMessageView } from '../model/packet';

class NameWriter {
  private out: number[] = [];
  private offsets = new Map<string, number>();

  get bytes(): number[] {
    return this.out;
  }

  push(...b: number[]) {
    this.out.push(...b);
  }

  u16(v: number) {
    this.out.push((v >> 8) & 0xff, v & 0xff);
  }

  u32(v: number) {
    this.u16(Math.floor(v / 0x10000) & 0xffff);
    this.u16(v & 0xffff);
  }

  /** A name, compressed against every suffix written before (pointers: 0xC000 | offset). */
  name(name: string, compress = true) {
    const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = this.offsets.get(suffix);
      if (compress && at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.out.length < 0x3fff) this.offsets.set(suffix, this.out.length);
      const text = new TextEncoder().encode(labels[i]);
      this.push(text.length, ...text);
    }
    this.push(0);
  }
}

function typeCode(type: string): number {
  return RR_TYPE_CODES[type as RrType] ?? 0;
}

/** RDATA from dig's presentation of it. */
function rdata(w: NameWriter, type: string, data: string) {
  const lenAt = w.bytes.length;
  w.u16(0);
  const start = w.bytes.length;
  const f = data.trim().split(/\s+/);
  switch (type) {
    case 'A':
      w.push(...data.split('.').map((o) => Number(o) & 0xff));
      break;
    case 'AAAA': {
      const [head, tail] = data.includes('::') ? data.split('::') : [data, ''];
      const h = head ? head.split(':') : [];
      const t = tail ? tail.split(':') : [];
      const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
      for (const g of groups) w.u16(parseInt(g, 16) || 0);
      break;
    }
    case 'CNAME':
    case 'PTR':
    case 'NS':
      w.name(data);
      break;
    case 'MX':
      w.u16(Number(f[0]));
      w.name(f[1] ?? '.');
      break;
    case 'SRV':
      w.u16(Number(f[0]));
      w.u16(Number(f[1]));
      w.u16(Number(f[2]));
      w.name(f[3] ?? '.', false); // RFC 2782: the target is not compressed
      break;
    case 'SOA':
      w.name(f[0]);
      w.name(f[1]);
      for (const n of f.slice(2, 7)) w.u32(Number(n));
      break;
    case 'TXT': {
      const text = new TextEncoder().encode(data.replace(/^"|"$/g, ''));
      w.push(text.length, ...text);
      break;
    }
  }
  const len = w.bytes.length - start;
  w.bytes[lenAt] = len >> 8;
  w.bytes[lenAt + 1] = len & 0xff;
}

export function dnsWire(m: DnsMessageView): Uint8Array {
  const flags = new Set(m.flags.split(/[\s,]+/));
  const w = new NameWriter();
  w.u16(m.id);
  // QR(15) Opcode(14-11)=0 AA(10) TC(9) RD(8) | RA(7) Z AD CD RCODE(3-0)
  let hi = 0;
  if (flags.has('qr')) hi |= 0x80;
  if (flags.has('aa')) hi |= 0x04;
  if (flags.has('tc')) hi |= 0x02;
  if (flags.has('rd')) hi |= 0x01;
  let lo = m.rcode ? (RCODE_NUMBERS[m.rcode as Rcode] ?? 0) : 0;
  if (flags.has('ra')) lo |= 0x80;
  if (flags.has('ad')) lo |= 0x20;
  if (flags.has('cd')) lo |= 0x10;
  w.push(hi, lo);
  w.u16(1);
  w.u16(m.answers.length);
  w.u16(0);
  w.u16(0);
  w.name(m.question.name);
  w.u16(typeCode(m.question.type));
  w.u16(1); // IN
  for (const rr of m.answers) {
    w.name(rr.name);
    w.u16(typeCode(rr.type));
    w.u16(1);
    w.u32(rr.ttl);
    rdata(w, rr.type, rr.data);
  }
  return Uint8Array.from(w.bytes);
}
