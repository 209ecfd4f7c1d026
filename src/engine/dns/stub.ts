/**
 * The stub resolver in a pod's libc (getaddrinfo): /etc/hosts first, then DNS over the names of
 * searchList.ts, A and AAAA sent together for each name (glibc and musl both send the pair in
 * parallel); glibc asks the first nameserver first and the next one after a timeout, musl asks
 * them all at once (askParallel). The search stops at
 * the first name with addresses; NXDOMAIN and, for glibc, NODATA go on to the next name
 * (musl stops at NODATA: name_from_dns returns EAI_NODATA, which ends the search).
 */
import { parseIpv4 } from '../addressing/ipv4';
import { exchange, newQuery, type ExchangeEnv, type ExchangeResult } from './exchange';
import { absolute, relative, type Question, type Response, type RrType } from './message';
import { parseResolvConf } from './resolvConf';
import { candidateNames, type StubFlavor } from './searchList';

export interface Lookup {
  /** Addresses found, IPv4 first. */
  addresses: string[];
  ipv6: string[];
  /** The name the addresses belong to (after search expansion and CNAMEs), without the dot. */
  canonical?: string;
  /** The names CNAMEs led from to the canonical one, in answer order, without the dot. */
  aliases?: string[];
  /** Every question sent, in order. */
  attempts: Question[];
  /** Why nothing was found. */
  error?: 'NXDOMAIN' | 'NODATA' | 'timeout' | 'refused' | 'no-nameserver';
  /** Total time spent (timeouts included), ms. */
  ms: number;
  /** The server that answered last. */
  server?: string;
}

export interface StubOptions {
  flavor: StubFlavor;
  /** Which families to ask for: both (AF_UNSPEC), or one. */
  types: RrType[];
}

/** The first IPv4 line of /etc/hosts text naming `name`: its address and all its names (the first is canonical). */
export function hostsEntry(hosts: string, name: string): { ip: string; names: string[] } | undefined {
  const n = relative(name).toLowerCase();
  for (const line of hosts.split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length > 1 && f.slice(1).some((h) => h.toLowerCase() === n) && parseIpv4(f[0]) !== null) return { ip: f[0], names: f.slice(1) };
  }
  return undefined;
}

/** Look a name up in /etc/hosts text: its IPv4 address. */
export function hostsLookup(hosts: string, name: string): string | undefined {
  return hostsEntry(hosts, name)?.ip;
}

/** The /etc/hosts line of an address (reverse lookup, files before dns): its names. */
export function hostsNamesOf(hosts: string, ip: string): string[] | undefined {
  for (const line of hosts.split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length > 1 && f[0] === ip) return f.slice(1);
  }
  return undefined;
}

/** Send one question to the configured servers in order until one answers (glibc: 5 s timeout, 2 attempts each). */
export function ask(env: ExchangeEnv, servers: string[], q: Question): ExchangeResult & { ms: number } {
  let waited = 0;
  let last: ExchangeResult = { kind: 'timeout', server: servers[0] ?? '' };
  for (const server of servers) {
    const r = exchange(env, server, newQuery(env, q.name, q.type));
    if (r.kind === 'answer') return { ...r, ms: waited + r.ms };
    last = r;
    waited += r.kind === 'timeout' ? 10000 : 0;
  }
  return { ...last, ms: waited };
}

/**
 * musl's res_msend (src/network/res_msend.c): the query goes to every nameserver at once and the
 * first NOERROR or NXDOMAIN reply wins (other rcodes, REFUSED included, are ignored); with no
 * usable reply the lookup times out (timeout 5 s × attempts 2). Each send is a traced packet.
 * Among replies the fastest wins, the first nameserver on a tie.
 */
export function askParallel(env: ExchangeEnv, servers: string[], q: Question): ExchangeResult & { ms: number } {
  const sent = servers.map((server) => exchange(env, server, newQuery(env, q.name, q.type)));
  let best: Extract<ExchangeResult, { kind: 'answer' }> | undefined;
  for (const r of sent) {
    if (r.kind !== 'answer' || (r.response.rcode !== 'NOERROR' && r.response.rcode !== 'NXDOMAIN')) continue;
    if (!best || r.ms < best.ms) best = r;
  }
  if (best) return best;
  return { kind: 'timeout', server: servers[0] ?? '', ms: 10000 };
}

function addressesOf(r: Response, type: 'A' | 'AAAA'): { addrs: string[]; canonical?: string } {
  const rrs = r.answer.filter((x) => x.type === type);
  return { addrs: rrs.map((x) => x.data as string), canonical: rrs[0]?.name };
}

export function resolveName(env: ExchangeEnv, resolvConfText: string, name: string, opts: StubOptions): Lookup {
  const conf = parseResolvConf(resolvConfText);
  const lookup: Lookup = { addresses: [], ipv6: [], attempts: [], ms: 0 };
  if (!conf.nameservers.length) return { ...lookup, error: 'no-nameserver' };
  let sawNodata = false;
  for (const candidate of candidateNames(name, conf.search, conf.ndots, opts.flavor)) {
    const results: Response[] = [];
    for (const type of opts.types) {
      lookup.attempts.push({ name: candidate, type });
      const r = opts.flavor === 'musl' ? askParallel(env, conf.nameservers, { name: candidate, type }) : ask(env, conf.nameservers, { name: candidate, type });
      lookup.ms += r.ms;
      lookup.server = r.server;
      if (r.kind !== 'answer') return { ...lookup, error: r.kind };
      results.push(r.response);
    }
    if (results.some((r) => r.rcode === 'NXDOMAIN')) continue;
    const a = results.flatMap((r) => addressesOf(r, 'A').addrs);
    const aaaa = results.flatMap((r) => addressesOf(r, 'AAAA').addrs);
    if (a.length || aaaa.length) {
      const canonical = results.map((r) => addressesOf(r, a.length ? 'A' : 'AAAA').canonical).find(Boolean) ?? candidate;
      const aliases = [...new Set(results.flatMap((r) => r.answer.filter((x) => x.type === 'CNAME').map((x) => relative(x.name))))];
      return { ...lookup, addresses: a, ipv6: aaaa, canonical: relative(canonical), ...(aliases.length ? { aliases } : {}) };
    }
    sawNodata = true;
    if (opts.flavor === 'musl') return { ...lookup, error: 'NODATA' };
  }
  return { ...lookup, error: sawNodata ? 'NODATA' : 'NXDOMAIN' };
}

export { absolute };
