/**
 * Endpoints and EndpointSlices validated as the API server does (pkg/apis/core/validation
 * validateEndpointSubsets / validateEndpointAddress / validateEndpointPort, and
 * pkg/apis/discovery/validation ValidateEndpointSlice, v1.31): addresses are IPs that make
 * sense as a destination (ValidateEndpointIP: not unspecified, loopback, link-local or
 * link-local multicast), port numbers in range, port names DNS-1123 labels. Field types were
 * checked by the decoder (schema.ts).
 */
import { isIpv6Cidr } from '../addressing/ipv6';
import { parseIpv4 } from '../addressing/ipv4';
import { dns1123Label, dns1123Subdomain, portNumber, required, unsupported } from './messages';
import { invalid } from './messages';
import { isPlainObject } from './parseFiles';
import type { Path } from './problems';

export interface FieldProblem {
  path: Path;
  message: string;
}

const IS_VALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** The family of an IP text as Go's net.ParseIP reads it, or undefined. */
function family(ip: string): 4 | 6 | undefined {
  if (parseIpv4(ip) !== null) return 4;
  return ip.includes(':') && isIpv6Cidr(`${ip}/128`) ? 6 : undefined;
}

/** IsValidIP: an IPv4 or IPv6 address as Go's net.ParseIP reads it. */
export const isIp = (text: string): boolean => family(text) !== undefined;

/**
 * ValidateEndpointIP's complaints about an address (Endpoints, EndpointSlices, and — "for
 * historical reasons" — Service externalIPs). IPv6 is checked for the same ranges by prefix.
 */
export function endpointIpProblems(ip: string): string[] {
  const f = family(ip);
  if (f === undefined) return ['must be a valid IP address'];
  const out: string[] = [];
  if (f === 4) {
    const n = parseIpv4(ip)!;
    if (n === 0) out.push(`may not be unspecified (${ip})`);
    if (n >>> 24 === 127) out.push('may not be in the loopback range (127.0.0.0/8, ::1/128)');
    if (n >>> 16 === 0xa9fe) out.push('may not be in the link-local range (169.254.0.0/16, fe80::/10)');
    if (n >>> 8 === 0xe00000) out.push('may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
    return out;
  }
  const groups = expand6(ip);
  if (groups.every((g) => g === 0)) out.push(`may not be unspecified (${ip})`);
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) out.push('may not be in the loopback range (127.0.0.0/8, ::1/128)');
  if ((groups[0] & 0xffc0) === 0xfe80) out.push('may not be in the link-local range (169.254.0.0/16, fe80::/10)');
  if (groups[0] === 0xff02) out.push('may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
  return out;
}

/** The eight 16-bit groups of a valid IPv6 text (an embedded IPv4 tail counts as two). */
function expand6(ip: string): number[] {
  let text = ip;
  const tail: number[] = [];
  const last = text.lastIndexOf(':');
  if (text.slice(last + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(last + 1))!;
    tail.push(v4 >>> 16, v4 & 0xffff);
    text = text.slice(0, last + 1) + (text[last - 1] === ':' ? '' : '0');
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const [head, rest] = text.split('::');
  const parse = (s: string | undefined) => (s ? s.split(':').filter((g) => g !== '').map((g) => parseInt(g, 16)) : []);
  const a = parse(head);
  const b = [...parse(rest), ...tail];
  const fill = rest === undefined ? [] : new Array(8 - a.length - b.length).fill(0);
  return [...a, ...fill, ...b].slice(0, 8);
}

/** IsValidIP then ValidateEndpointIP, as validateEndpointAddress runs them. */
function addressProblems(ip: unknown, path: Path, out: FieldProblem[]): void {
  const text = typeof ip === 'string' ? ip : '';
  if (family(text) === undefined) out.push({ path, message: invalid(text, IS_VALID_IP) });
  for (const msg of endpointIpProblems(text)) out.push({ path, message: invalid(text, msg) });
}

function portProblems(p: Record<string, unknown>, requireName: boolean, path: Path, out: FieldProblem[]): void {
  const name = typeof p.name === 'string' ? p.name : '';
  if (requireName && name === '') out.push({ path: [...path, 'name'], message: required() });
  else if (name !== '') for (const msg of dns1123Label(name)) out.push({ path: [...path, 'name'], message: invalid(name, msg) });
  const port = typeof p.port === 'number' ? p.port : 0;
  for (const msg of portNumber(port)) out.push({ path: [...path, 'port'], message: invalid(port, msg) });
  // SetDefaults_EndpointPort / EndpointSlice defaulting: protocol TCP.
  const protocol = typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP';
  if (!PROTOCOLS.includes(protocol)) out.push({ path: [...path, 'protocol'], message: unsupported(protocol, PROTOCOLS) });
}

const objects = (v: unknown): [Record<string, unknown>, number][] => (Array.isArray(v) ? v.flatMap((x, i): [Record<string, unknown>, number][] => (isPlainObject(x) ? [[x, i]] : [])) : []);

/** validateEndpointSubsets for a v1 Endpoints object. */
export function validateEndpoints(v: Record<string, unknown>): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [ss, i] of objects(v.subsets)) {
    const at: Path = ['subsets', i];
    const addrs = objects(ss.addresses);
    const notReady = objects(ss.notReadyAddresses);
    if (addrs.length === 0 && notReady.length === 0) out.push({ path: at, message: required('must specify `addresses` or `notReadyAddresses`') });
    for (const [key, list] of [
      ['addresses', addrs],
      ['notReadyAddresses', notReady],
    ] as const) {
      for (const [a, j] of list) {
        const apath: Path = [...at, key, j];
        addressProblems(a.ip, [...apath, 'ip'], out);
        if (typeof a.hostname === 'string' && a.hostname !== '') for (const msg of dns1123Label(a.hostname)) out.push({ path: [...apath, 'hostname'], message: invalid(a.hostname, msg) });
        if (typeof a.nodeName === 'string') for (const msg of dns1123Subdomain(a.nodeName)) out.push({ path: [...apath, 'nodeName'], message: invalid(a.nodeName, msg) });
      }
    }
    const ports = objects(ss.ports);
    for (const [p, j] of ports) portProblems(p, ports.length > 1, [...at, 'ports', j], out);
  }
  return out;
}

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

/** ValidateEndpointSlice (discovery/v1): addressType, each endpoint's addresses, the ports. */
export function validateEndpointSlice(v: Record<string, unknown>): FieldProblem[] {
  const out: FieldProblem[] = [];
  const type = typeof v.addressType === 'string' ? v.addressType : '';
  if (type === '') out.push({ path: ['addressType'], message: required() });
  else if (!ADDRESS_TYPES.includes(type)) out.push({ path: ['addressType'], message: unsupported(type, ADDRESS_TYPES) });
  for (const [e, i] of objects(v.endpoints)) {
    const apath: Path = ['endpoints', i, 'addresses'];
    const addrs = Array.isArray(e.addresses) ? e.addresses : [];
    if (addrs.length === 0) out.push({ path: apath, message: required('must contain at least 1 address') });
    addrs.forEach((a, j) => {
      if (typeof a !== 'string' || (type !== 'IPv4' && type !== 'IPv6')) return;
      const f = family(a);
      if (f !== (type === 'IPv4' ? 4 : 6)) out.push({ path: [...apath, j], message: invalid(a, `must be a valid ${type} address`) });
      else for (const msg of endpointIpProblems(a)) out.push({ path: [...apath, j], message: invalid(a, msg) });
    });
  }
  const ports = objects(v.ports);
  ports.forEach(([p, j]) => {
    // validatePorts: a slice's port may be unnamed and has no number for "all ports"; named ones are DNS-1123 labels.
    const name = typeof p.name === 'string' ? p.name : '';
    if (name !== '') for (const msg of dns1123Label(name)) out.push({ path: ['ports', j, 'name'], message: invalid(name, msg) });
    if (typeof p.port === 'number') for (const msg of portNumber(p.port)) out.push({ path: ['ports', j, 'port'], message: invalid(p.port, msg) });
  });
  return out;
}
