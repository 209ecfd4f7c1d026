/**
 * The resolver outside the cluster that CoreDNS's `forward . /etc/resolv.conf` (and pods with
 * dnsPolicy Default) reach: a recursive resolver knowing a few public names with fixed
 * addresses, NXDOMAIN (with the root zone's SOA, as recursive resolvers return it) otherwise.
 * Answers are recursive, not authoritative: `ra` set, `aa` clear.
 */
import { absolute, type Question, type Rr, type Rcode } from './message';

interface Zone {
  a?: string[];
  aaaa?: string[];
  ttl: number;
}

/** Addresses these names had around the scenario epoch (January 2024). */
const NAMES: Record<string, Zone> = {
  'google.com.': { a: ['142.250.185.78'], aaaa: ['2a00:1450:4001:82a::200e'], ttl: 300 },
  'www.google.com.': { a: ['142.250.185.100'], aaaa: ['2a00:1450:4001:82f::2004'], ttl: 300 },
  'example.com.': { a: ['93.184.216.34'], aaaa: ['2606:2800:220:1:248:1893:25c8:1946'], ttl: 3600 },
  'www.example.com.': { a: ['93.184.216.34'], aaaa: ['2606:2800:220:1:248:1893:25c8:1946'], ttl: 3600 },
  'kubernetes.io.': { a: ['147.75.40.148'], aaaa: ['2604:1380:40e1:4800::1'], ttl: 3600 },
};

const ROOT_SOA: Rr = {
  name: '.',
  ttl: 86400,
  type: 'SOA',
  data: { mname: 'a.root-servers.net.', rname: 'nstld.verisign-grs.com.', serial: 2024010100, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 },
};

export interface UpstreamAnswer {
  rcode: Rcode;
  answer: Rr[];
  authority: Rr[];
}

export function upstreamAnswer(q: Question): UpstreamAnswer {
  const name = absolute(q.name).toLowerCase();
  const zone = NAMES[name];
  if (!zone) return { rcode: 'NXDOMAIN', answer: [], authority: [ROOT_SOA] };
  const answer: Rr[] = [];
  if (q.type === 'A' || q.type === 'ANY') for (const a of zone.a ?? []) answer.push({ name, ttl: zone.ttl, type: 'A', data: a });
  if (q.type === 'AAAA' || q.type === 'ANY') for (const a of zone.aaaa ?? []) answer.push({ name, ttl: zone.ttl, type: 'AAAA', data: a });
  return { rcode: 'NOERROR', answer, authority: [] };
}
