/**
 * DNS messages as the simulator exchanges them: a question, resource records in their three
 * sections, header flags and the response code, plus the exact wire size (RFC 1035 §4 with
 * name compression, RFC 6891 OPT), which dig prints (`MSG SIZE rcvd`) and CoreDNS's log
 * plugin records.
 */

export type RrType = 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'SRV' | 'SOA' | 'NS' | 'TXT' | 'MX' | 'ANY';
export const RR_TYPE_CODES: Record<RrType, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 };

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';
export const RCODE_NUMBERS: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/** One resource record; names are absolute and end in a dot (`web.default.svc.cluster.local.`). */
export type Rr =
  | { name: string; ttl: number; type: 'A' | 'AAAA'; data: string }
  | { name: string; ttl: number; type: 'CNAME' | 'PTR' | 'NS'; data: string }
  | { name: string; ttl: number; type: 'SRV'; data: SrvData }
  | { name: string; ttl: number; type: 'SOA'; data: SoaData }
  | { name: string; ttl: number; type: 'TXT'; data: string };

export interface Question {
  /** Absolute, with the trailing dot. */
  name: string;
  type: RrType;
}

/** EDNS(0) as the client sent it (dig always does; glibc and musl stubs do not). */
export interface Edns {
  udpSize: number;
  /** The 8-byte client cookie, hex (dig 9.18 sends one). */
  cookie?: string;
}

export interface Query {
  id: number;
  question: Question;
  /** Recursion desired (every stub and dig by default). */
  rd: boolean;
  edns?: Edns;
}

export interface Response {
  id: number;
  question: Question;
  rcode: Rcode;
  /** Authoritative answer (CoreDNS's kubernetes plugin for its zones). */
  aa: boolean;
  /** Recursion available (set on forwarded answers). */
  ra: boolean;
  rd: boolean;
  answer: Rr[];
  authority: Rr[];
  additional: Rr[];
  /** The server's OPT record, echoing the client's cookie. */
  edns?: Edns;
}

export const absolute = (name: string): string => (name.endsWith('.') ? name : name + '.');
export const relative = (name: string): string => (name.endsWith('.') && name !== '.' ? name.slice(0, -1) : name);

/** Wire length of a name without compression: one length byte per label plus the root. */
function nameLen(name: string): number {
  const labels = relative(name).split('.').filter(Boolean);
  return labels.reduce((n, l) => n + 1 + l.length, 1);
}

/**
 * Name compression (RFC 1035 §4.1.4): a name whose suffix was already written costs the new
 * labels plus a 2-byte pointer. `seen` holds every suffix written so far.
 */
function compressedLen(name: string, seen: Set<string>): number {
  const labels = relative(name).toLowerCase().split('.').filter(Boolean);
  let len = 0;
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.');
    if (seen.has(suffix)) return len + 2;
    len += 1 + labels[i].length;
  }
  for (let i = 0; i < labels.length; i++) seen.add(labels.slice(i).join('.'));
  return len + 1;
}

function rdataLen(rr: Rr, seen: Set<string>): number {
  switch (rr.type) {
    case 'A':
      return 4;
    case 'AAAA':
      return 16;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return compressedLen(rr.data, seen);
    case 'SRV':
      // RFC 2782: the target is not compressed.
      return 6 + nameLen(rr.data.target);
    case 'SOA':
      return compressedLen(rr.data.mname, seen) + compressedLen(rr.data.rname, seen) + 20;
    case 'TXT':
      return 1 + rr.data.length;
  }
}

const OPT_FIXED = 11;
const optLen = (e?: Edns) => (e ? OPT_FIXED + (e.cookie ? 4 + e.cookie.length / 2 : 0) : 0);

export function queryWireSize(q: Query): number {
  return 12 + nameLen(q.question.name) + 4 + optLen(q.edns);
}

export function responseWireSize(r: Response): number {
  const seen = new Set<string>();
  let len = 12 + compressedLen(r.question.name, seen) + 4;
  for (const rr of [...r.answer, ...r.authority, ...r.additional]) len += compressedLen(rr.name, seen) + 10 + rdataLen(rr, seen);
  return len + optLen(r.edns);
}

/** dig's presentation of a record's data. */
export function rdataText(rr: Rr): string {
  switch (rr.type) {
    case 'SRV':
      return `${rr.data.priority} ${rr.data.weight} ${rr.data.port} ${rr.data.target}`;
    case 'SOA': {
      const s = rr.data;
      return `${s.mname} ${s.rname} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    case 'TXT':
      return `"${rr.data}"`;
    default:
      return rr.data;
  }
}

/** `name. 30 IN A 10.96.0.1`, tab-separated as dig prints it (+nomultiline). */
export function rrText(rr: Rr): string {
  return `${rr.name}\t\t${rr.ttl}\tIN\t${rr.type}\t${rdataText(rr)}`;
}

/** `1.0.96.10.in-addr.arpa.` for 10.96.0.1. */
export function reverseName(ip: string): string {
  return ip.split('.').reverse().join('.') + '.in-addr.arpa.';
}

/** The address a reverse name stands for, or null. */
export function addressOfReverse(name: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa\.$/i.exec(absolute(name));
  if (!m) return null;
  const octets = [m[4], m[3], m[2], m[1]].map(Number);
  return octets.every((o) => o <= 255) ? octets.join('.') : null;
}
