/**
 * DNS clients over the simulated resolver (dns/): `nslookup` (BusyBox 1.36's own resolver,
 * BusyBox ≤1.28's getaddrinfo form, or bind-utils 9.18), `dig`, `host`, `getent hosts`.
 * Every query is a traced UDP packet (dns/exchange.ts); the output is each tool's own layout.
 */
import { parseIpv4 } from '../addressing/ipv4';
import { EPOCH_MS } from '../sim/clock';
import { fnv32a } from '../util/hash';
import { exchange, newQuery, type ExchangeEnv, type ExchangeResult } from '../dns/exchange';
import { relative, responseWireSize, reverseName, type Question, type Response, type Rr, type RrType, RR_TYPE_CODES, rdataText } from '../dns/message';
import { parseResolvConf } from '../dns/resolvConf';
import { candidateNames } from '../dns/searchList';
import { hostsEntry, hostsNamesOf, resolveName } from '../dns/stub';
import { imageName } from '../apps/catalog';
import { exchangeEnvOf, hostsIn, imageOf, isOldBusybox, libcOf, resolvConfIn } from './netClient';
import { fail, out, type Ctx, type Handler, type Out } from './types';

const DIG_VERSION = '9.18.28';

function servers(ctx: Ctx, explicit?: string): string[] {
  if (explicit) return [explicit];
  return parseResolvConf(resolvConfIn(ctx)).nameservers;
}

/** Ask the servers in order; the first that answers wins. */
function askAll(env: ExchangeEnv, list: string[], q: Question, edns?: Response['edns']): ExchangeResult {
  let last: ExchangeResult = { kind: 'timeout', server: list[0] ?? '127.0.0.1' };
  for (const s of list) {
    last = exchange(env, s, newQuery(env, q.name, q.type, edns));
    if (last.kind === 'answer') return last;
  }
  return last;
}

// ---------------------------------------------------------------- nslookup

/** BusyBox 1.36 (networking/nslookup.c, the LEDE resolver): search only for dotless names, A and AAAA, replies printed in order. */
function busyboxNslookup(ctx: Ctx, env: ExchangeEnv, name: string, server?: string): Out {
  const conf = parseResolvConf(resolvConfIn(ctx));
  const list = server ? [server] : conf.nameservers.length ? conf.nameservers : ['127.0.0.1'];
  const ip = parseIpv4(name);
  const questions: Question[] = [];
  if (ip !== null) questions.push({ name: reverseName(name), type: 'PTR' });
  else for (const type of ['A', 'AAAA'] as const) for (const n of candidateNames(name, conf.search, conf.ndots, 'busybox-nslookup')) questions.push({ name: n, type });
  for (const s of list) {
    const replies = questions.map((q) => exchange(env, s, newQuery(env, q.name, q.type)));
    if (!replies.some((r) => r.kind === 'answer')) continue;
    let stdout = `Server:\t\t${s}\nAddress:\t${s}:53\n\n`;
    let status = 0;
    replies.forEach((r, i) => {
      if (r.kind !== 'answer') return;
      const qname = relative(questions[i].name);
      if (r.response.rcode !== 'NOERROR') {
        stdout += `** server can't find ${qname}: ${r.response.rcode}\n\n`;
        status = 1;
        return;
      }
      if (!r.response.aa) stdout += 'Non-authoritative answer:\n';
      for (const rr of r.response.answer) stdout += nslookupRecord(rr);
      stdout += '\n';
    });
    return out(stdout, '', status);
  }
  return out(';; connection timed out; no servers could be reached\n\n', '', 1);
}

function nslookupRecord(rr: Rr): string {
  const owner = relative(rr.name);
  if (rr.type === 'A' || rr.type === 'AAAA') return `Name:\t${owner}\nAddress: ${rr.data}\n`;
  if (rr.type === 'CNAME') return `${owner}\tcanonical name = ${rr.data}\n`;
  if (rr.type === 'PTR') return `${owner}\tname = ${rr.data}\n`;
  if (rr.type === 'NS') return `${owner}\tnameserver = ${rr.data}\n`;
  if (rr.type === 'SRV') return `${owner}\tservice = ${rdataText(rr)}\n`;
  if (rr.type === 'SOA') return `${owner}\n\torigin = ${rr.data.mname}\n\tmail addr = ${rr.data.rname}\n\tserial = ${rr.data.serial}\n\trefresh = ${rr.data.refresh}\n\tretry = ${rr.data.retry}\n\texpire = ${rr.data.expire}\n\tminimum = ${rr.data.minimum}\n`;
  return `${owner}\ttext = ${rdataText(rr)}\n`;
}

/** BusyBox ≤1.28: getaddrinfo plus a reverse lookup of every address (`Address 1: IP NAME`). */
function oldBusyboxNslookup(ctx: Ctx, env: ExchangeEnv, name: string, server?: string): Out {
  const conf = resolvConfIn(ctx);
  const effective = server ? conf.replace(/^nameserver .*$/gm, '').concat(`nameserver ${server}\n`) : conf;
  const reverse = (ip: string) => {
    const r = askAll(env, parseResolvConf(effective).nameservers, { name: reverseName(ip), type: 'PTR' });
    const ptr = r.kind === 'answer' ? r.response.answer.find((x) => x.type === 'PTR') : undefined;
    return ptr ? rdataText(ptr) : undefined;
  };
  const dns = parseResolvConf(effective).nameservers[0] ?? '127.0.0.1';
  const dnsName = reverse(dns);
  let stdout = `${'Server:'.padEnd(10)} ${dns}\nAddress 1: ${dns}${dnsName ? ' ' + relative(dnsName) : ''}\n\n`;
  const ip = parseIpv4(name);
  const lookup = ip !== null ? { addresses: [name], ipv6: [] as string[] } : resolveName(env, effective, name, { flavor: 'musl', types: ['A', 'AAAA'] });
  if (!lookup.addresses.length && !lookup.ipv6.length) return out(stdout, `nslookup: can't resolve '${name}'\n`, 1);
  stdout += `${'Name:'.padEnd(10)} ${name}\n`;
  [...lookup.addresses, ...lookup.ipv6].forEach((a, i) => {
    const rev = lookup.addresses.includes(a) ? reverse(a) : undefined;
    stdout += `Address ${i + 1}: ${a}${rev ? ' ' + relative(rev) : ''}\n`;
  });
  return out(stdout);
}

/** bind-utils nslookup 9.18: search list by ndots, A then AAAA for the name found. */
function bindNslookup(ctx: Ctx, env: ExchangeEnv, name: string, server?: string): Out {
  const conf = parseResolvConf(resolvConfIn(ctx));
  const list = servers(ctx, server);
  const ip = parseIpv4(name);
  const names = ip !== null ? [reverseName(name)] : candidateNames(name, conf.search, conf.ndots, 'bind');
  const types: RrType[] = ip !== null ? ['PTR'] : ['A', 'AAAA'];
  for (const n of names) {
    const first = askAll(env, list, { name: n, type: types[0] });
    if (first.kind !== 'answer') return out(';; connection timed out; no servers could be reached\n\n', '', 1);
    const s = first.server;
    const head = `Server:\t\t${s}\nAddress:\t${s}#53\n\n`;
    if (first.response.rcode === 'NXDOMAIN' && n !== names[names.length - 1]) continue;
    if (first.response.rcode !== 'NOERROR') return out(`${head}** server can't find ${name}: ${first.response.rcode}\n\n`, '', 1);
    const responses = [first.response];
    for (const t of types.slice(1)) {
      const r = askAll(env, list, { name: n, type: t });
      if (r.kind === 'answer') responses.push(r.response);
    }
    let body = '';
    for (const r of responses) for (const rr of r.answer) body += nslookupRecord(rr);
    if (!body) return out(`${head}*** Can't find ${name}: No answer\n\n`, '', 1);
    return out(`${head}${responses[0].aa ? '' : 'Non-authoritative answer:\n'}${body}\n`);
  }
  return out(';; connection timed out; no servers could be reached\n\n', '', 1);
}

export const nslookup: Handler = (args, ctx) => {
  const positional = args.filter((a) => !a.startsWith('-'));
  const bb = ctx.place.kind === 'pod' && ctx.place.tools === 'busybox';
  if (!positional.length) {
    return bb ? fail('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any', 1) : out('', '', 0);
  }
  const env = exchangeEnvOf(ctx);
  if (!env) return out(';; connection timed out; no servers could be reached\n\n', '', 1);
  const [name, server] = positional;
  if (bb) return isOldBusybox(ctx) ? oldBusyboxNslookup(ctx, env, name, server) : busyboxNslookup(ctx, env, name, server);
  return bindNslookup(ctx, env, name, server);
};

// ---------------------------------------------------------------- dig

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** `Mon Jan 01 00:05:00 UTC 2024` (dig's `;; WHEN:`). */
function digWhen(seconds: number): string {
  const d = new Date(EPOCH_MS + seconds * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/**
 * dig's master-file columns (lib/dns/masterdump.c indent()): each field starts at its column,
 * reached with tabs (width 8), or one space when the text already passed it.
 */
function columns(fields: [string, number][]): string {
  let s = '';
  let col = 0;
  for (const [text, at] of fields) {
    if (s) {
      const tabs = Math.floor(at / 8) - Math.floor(col / 8);
      if (tabs > 0) {
        s += '\t'.repeat(tabs);
        col = Math.floor(at / 8) * 8;
      } else {
        const spaces = Math.max(1, at - col);
        s += ' '.repeat(spaces);
        col += spaces;
      }
    }
    s += text;
    col += text.length;
  }
  return s;
}

export function digRecord(rr: Rr): string {
  return columns([[rr.name, 0], [String(rr.ttl), 24], ['IN', 32], [rr.type, 40], [rdataText(rr), 48]]);
}

function digQuestion(q: Question): string {
  return columns([[`;${q.name}`, 0], ['IN', 32], [q.type, 40]]);
}

interface DigOpts {
  server?: string;
  name?: string;
  type: RrType;
  short: boolean;
  search: boolean;
  /** +noall then +answer etc. */
  sections: { cmd: boolean; comments: boolean; question: boolean; answer: boolean; authority: boolean; additional: boolean; stats: boolean };
  reverse: boolean;
}

function parseDig(args: string[]): DigOpts | string {
  const o: DigOpts = { type: 'A', short: false, search: false, reverse: false, sections: { cmd: true, comments: true, question: true, answer: true, authority: true, additional: true, stats: true } };
  let typed = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('@')) o.server = a.slice(1);
    else if (a === '-x') {
      const ip = args[++i];
      if (!ip || parseIpv4(ip) === null) return `Invalid IP address ${ip ?? ''}`;
      o.name = reverseName(ip);
      o.type = 'PTR';
      o.reverse = true;
    } else if (a === '-t') o.type = (args[++i] ?? 'A').toUpperCase() as RrType;
    else if (a.startsWith('+')) {
      const opt = a.slice(1).toLowerCase();
      const no = opt.startsWith('no');
      const key = no ? opt.slice(2) : opt;
      if (key === 'short') o.short = !no;
      else if (key === 'search') o.search = !no;
      else if (key === 'all') for (const k of Object.keys(o.sections) as (keyof DigOpts['sections'])[]) o.sections[k] = !no;
      else if (key in o.sections) o.sections[key as keyof DigOpts['sections']] = !no;
    } else if (a.startsWith('-')) continue;
    else if (!typed && a.toUpperCase() in RR_TYPE_CODES) {
      o.type = a.toUpperCase() as RrType;
      typed = true;
    } else if (o.name === undefined) o.name = a;
    else if (a.toUpperCase() in RR_TYPE_CODES) o.type = a.toUpperCase() as RrType;
  }
  return o;
}

export const dig: Handler = (args, ctx) => {
  const o = parseDig(args);
  if (typeof o === 'string') return fail(o, 10);
  const cmdline = `; <<>> DiG ${DIG_VERSION} <<>> ${args.join(' ')}`;
  const env = exchangeEnvOf(ctx);
  const list = servers(ctx, o.server);
  if (o.name === undefined) {
    // dig with no name asks for the root's NS records.
    o.name = '.';
    o.type = 'NS';
  }
  const conf = parseResolvConf(resolvConfIn(ctx));
  const names = o.search && !o.reverse ? candidateNames(o.name, conf.search, conf.ndots, 'bind') : [o.name.endsWith('.') ? o.name : `${o.name}.`];
  const cookie = (fnv32a(`cookie:${env?.from}`) >>> 0).toString(16).padStart(8, '0') + (fnv32a(`cookie2:${env?.from}`) >>> 0).toString(16).padStart(8, '0');
  let result: ExchangeResult = { kind: 'timeout', server: list[0] ?? '127.0.0.1' };
  let q: Question = { name: names[0], type: o.type };
  let id = 0;
  for (const n of names) {
    q = { name: n, type: o.type };
    if (!env) break;
    for (const s of list) {
      const query = newQuery(env, n, o.type, { udpSize: 1232, cookie });
      id = query.id;
      result = exchange(env, s, query);
      if (result.kind === 'answer') break;
    }
    if (result.kind !== 'answer' || result.response.rcode !== 'NXDOMAIN') break;
  }
  if (result.kind !== 'answer') {
    const err = result.kind === 'refused' ? 'connection refused' : 'timed out';
    const line = `;; communications error to ${result.server}#53: ${err}\n`;
    let s = line.repeat(3);
    if (!o.short && o.sections.cmd) s += `\n${cmdline}\n;; global options: +cmd\n`;
    s += ';; no servers could be reached\n';
    return out(s, '', 9);
  }
  const r = result.response;
  if (o.short) return out(r.answer.map((rr) => rdataText(rr) + '\n').join(''));
  const sec = o.sections;
  let s = '';
  if (sec.cmd) s += `\n${cmdline}\n;; global options: +cmd\n`;
  if (sec.comments) {
    s += ';; Got answer:\n';
    if (/\.local\.$/i.test(q.name)) s += ';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n';
    s += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${id}\n`;
    const flags = ['qr', r.aa ? 'aa' : '', r.rd ? 'rd' : '', r.ra ? 'ra' : ''].filter(Boolean).join(' ');
    s += `;; flags: ${flags}; QUERY: 1, ANSWER: ${r.answer.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: ${r.additional.length + (r.edns ? 1 : 0)}\n`;
    if (r.rd && !r.ra) s += ';; WARNING: recursion requested but not available\n';
    s += '\n';
    if (r.edns) s += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: ${r.edns.udpSize}\n${r.edns.cookie ? `; COOKIE: ${r.edns.cookie} (echoed)\n` : ''}`;
  }
  if (sec.question) s += `${sec.comments ? ';; QUESTION SECTION:\n' : ''}${digQuestion(q)}\n${sec.comments ? '\n' : ''}`;
  const section = (title: string, rrs: Rr[], on: boolean) => {
    if (!on || !rrs.length) return;
    s += `${sec.comments ? `;; ${title} SECTION:\n` : ''}${rrs.map((rr) => digRecord(rr) + '\n').join('')}${sec.comments ? '\n' : ''}`;
  };
  section('ANSWER', r.answer, sec.answer);
  section('AUTHORITY', r.authority, sec.authority);
  section('ADDITIONAL', r.additional, sec.additional);
  if (sec.stats) {
    const t = ctx.session.cluster.now;
    s += `;; Query time: ${result.ms} msec\n;; SERVER: ${result.server}#53(${result.server}) (UDP)\n;; WHEN: ${digWhen(t)}\n;; MSG SIZE  rcvd: ${responseWireSize(r)}\n\n`;
  }
  return out(s);
};

// ---------------------------------------------------------------- host

export const host: Handler = (args, ctx) => {
  const positional = args.filter((a) => !a.startsWith('-'));
  if (!positional.length) return fail('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]', 1);
  const [name, server] = positional;
  const env = exchangeEnvOf(ctx);
  if (!env) return out(';; connection timed out; no servers could be reached\n', '', 1);
  const list = servers(ctx, server);
  let head = '';
  if (server) head = `Using domain server:\nName: ${server}\nAddress: ${server}#53\nAliases: \n\n`;
  if (parseIpv4(name) !== null) {
    const q = { name: reverseName(name), type: 'PTR' as const };
    const r = askAll(env, list, q);
    if (r.kind !== 'answer') return out(head + ';; connection timed out; no servers could be reached\n', '', 1);
    if (r.response.rcode !== 'NOERROR') return out(`${head}Host ${q.name} not found: 3(${r.response.rcode})\n`, '', 1);
    return out(head + r.response.answer.map((rr) => `${relative(rr.name)} domain name pointer ${rdataText(rr)}\n`).join(''));
  }
  const conf = parseResolvConf(resolvConfIn(ctx));
  for (const n of candidateNames(name, conf.search, conf.ndots, 'bind')) {
    const a = askAll(env, list, { name: n, type: 'A' });
    if (a.kind !== 'answer') return out(head + ';; connection timed out; no servers could be reached\n', '', 1);
    if (a.response.rcode === 'NXDOMAIN') continue;
    let s = head;
    for (const type of ['A', 'AAAA', 'MX'] as const) {
      const r = type === 'A' ? a : askAll(env, list, { name: n, type });
      if (r.kind !== 'answer') continue;
      for (const rr of r.response.answer) {
        if (rr.type === 'CNAME') {
          if (type === 'A') s += `${relative(rr.name)} is an alias for ${rr.data}\n`;
        } else if (rr.type === 'A') s += `${relative(rr.name)} has address ${rr.data}\n`;
        else if (rr.type === 'AAAA') s += `${relative(rr.name)} has IPv6 address ${rr.data}\n`;
      }
    }
    return out(s);
  }
  return out(`${head}Host ${name} not found: 3(NXDOMAIN)\n`, '', 1);
};

// ---------------------------------------------------------------- getent

/** What gethostbyname2 / gethostbyaddr hand getent: h_name, h_aliases, h_addr_list. */
interface HostEnt {
  name: string;
  aliases: string[];
  addrs: string[];
}

/**
 * musl's hostent (src/network/gethostbyname2_r.c): h_aliases[0] is the canonical name itself,
 * h_aliases[1] the name as asked when it differs.
 */
const muslHostEnt = (canon: string, asked: string, addrs: string[]): HostEnt => ({ name: canon, aliases: canon === asked ? [canon] : [canon, asked], addrs });

/**
 * gethostbyname2(name, family) through the place's libc: /etc/hosts (IPv4 lines), then DNS
 * over its resolv.conf with that libc's search rules, each query traced. For AF_INET6 a name
 * that /etc/hosts has only with an IPv4 address ends musl's lookup there (name_from_hosts:
 * wrong family, no DNS), while glibc's files module reports NOTFOUND and dns is asked.
 */
function gethostbyname2(ctx: Ctx, libc: 'glibc' | 'musl', name: string, type: 'A' | 'AAAA'): HostEnt | undefined {
  const entry = hostsEntry(hostsIn(ctx), name);
  if (entry) {
    const [canon, ...rest] = entry.names;
    if (type === 'A') return libc === 'glibc' ? { name: canon, aliases: rest, addrs: [entry.ip] } : muslHostEnt(canon, name, [entry.ip]);
    if (libc === 'musl') return undefined;
  }
  const env = exchangeEnvOf(ctx);
  if (!env) return undefined;
  const r = resolveName(env, resolvConfIn(ctx), name, { flavor: libc, types: [type] });
  const addrs = type === 'A' ? r.addresses : r.ipv6;
  if (!addrs.length) return undefined;
  const canon = r.canonical ?? relative(name);
  // glibc (resolv/nss_dns getanswer_r): h_name is the final name, the CNAME owners are the aliases.
  return libc === 'glibc' ? { name: canon, aliases: r.aliases ?? [], addrs } : muslHostEnt(canon, name, addrs);
}

/**
 * gethostbyaddr: /etc/hosts, then a PTR query. glibc takes the first PTR record ("bind would put
 * multiple PTR records as aliases, but we don't do that") and fails without one; musl goes
 * through getnameinfo, whose parser keeps the last PTR, and falls back to the numeric address.
 */
function gethostbyaddr(ctx: Ctx, libc: 'glibc' | 'musl', ip: string): HostEnt | undefined {
  const named = hostsNamesOf(hostsIn(ctx), ip);
  let name = named?.[0];
  if (name === undefined) {
    const env = exchangeEnvOf(ctx);
    const r = env ? askAll(env, servers(ctx), { name: reverseName(ip), type: 'PTR' }) : undefined;
    const ptrs = r?.kind === 'answer' ? r.response.answer.filter((x) => x.type === 'PTR').map((x) => relative(x.data as string)) : [];
    name = libc === 'glibc' ? ptrs[0] : (ptrs[ptrs.length - 1] ?? ip);
  }
  if (name === undefined) return undefined;
  return libc === 'glibc' ? { name, aliases: named?.slice(1) ?? [], addrs: [ip] } : { name, aliases: [name], addrs: [ip] };
}

/** glibc getent (nss/getent.c print_hosts): every address, `%-15s %s`, then ` ALIAS` each. */
const glibcHosts = (h: HostEnt) => h.addrs.map((a) => `${a.padEnd(15)} ${[h.name, ...h.aliases].join(' ')}\n`).join('');
/** Alpine's getent (aports main/musl/getent.c hostsprint): the first address only, `%-16s  %s`, then `  ALIAS ALIAS`. */
const muslHosts = (h: HostEnt) => `${h.addrs[0].padEnd(16)}  ${h.name}${h.aliases.length ? `  ${h.aliases.join(' ')}` : ''}\n`;

const MUSL_GETENT_USAGE = 'Usage: getent database [key ...]\n\tdatabase may be one of:\n\t\tethers group hosts ahosts ahostsv4 ahostsv6 networks\n\t\tpasswd protocols services shadow shells\n';

/**
 * `getent hosts|ahosts|ahostsv4 [KEY...]` as the image's libc has it: glibc's getent
 * (nss/getent.c hosts_keys) or, on Alpine-based images, musl-utils' NetBSD-derived one (aports
 * main/musl/getent.c). Both resolve a name with gethostbyname2(AF_INET6), then AF_INET, through
 * the pod's own resolver (every query traced), and stop at the first key not found (status 2).
 * The busybox image has no getent.
 */
export const getent: Handler = (args, ctx) => {
  // BusyBox has no getent applet; Alpine images carry musl-utils' getent.
  if (/^busybox/.test(imageName(imageOf(ctx)))) return fail('sh: getent: not found', 127);
  const libc = libcOf(ctx);
  const [db, ...keys] = args;
  if (libc === 'musl') {
    if (!db) return fail(MUSL_GETENT_USAGE, 1);
    if (db !== 'hosts' && db !== 'ahosts' && db !== 'ahostsv4') return fail(`getent: Unknown database \`${db}': No error information\n${MUSL_GETENT_USAGE}`, 1);
    // musl's gethostent is a stub that returns no entries (src/network/ent.c).
    if (!keys.length) return out('');
  } else {
    if (!db) return fail('Usage: getent [OPTION...] database [key ...]\nTry `getent --help\' or `getent --usage\' for more information.', 1);
    if (db !== 'hosts' && db !== 'ahosts' && db !== 'ahostsv4') return fail(`Unknown database: ${db}\nTry \`getent --help' or \`getent --usage' for more information.`, 1);
    if (!keys.length) return out(hostsIn(ctx).split('\n').filter((l) => l.trim() && !l.startsWith('#')).join('\n') + '\n');
  }
  let stdout = '';
  for (const key of keys) {
    if (db === 'hosts') {
      const h = parseIpv4(key) !== null ? gethostbyaddr(ctx, libc, key) : (gethostbyname2(ctx, libc, key, 'AAAA') ?? gethostbyname2(ctx, libc, key, 'A'));
      if (!h) return out(stdout, '', 2);
      stdout += libc === 'glibc' ? glibcHosts(h) : muslHosts(h);
      continue;
    }
    // ahosts: getaddrinfo with AI_CANONNAME. glibc lists STREAM, DGRAM, RAW per address with the
    // canonical name on the first line only; musl lists STREAM and DGRAM, each with the name.
    const fromHosts = hostsEntry(hostsIn(ctx), key);
    const env = exchangeEnvOf(ctx);
    const r = fromHosts || parseIpv4(key) !== null || !env ? undefined : resolveName(env, resolvConfIn(ctx), key, { flavor: libc, types: db === 'ahostsv4' ? ['A'] : ['A', 'AAAA'] });
    const addrs = parseIpv4(key) !== null ? [key] : fromHosts ? [fromHosts.ip] : [...(r?.addresses ?? []), ...(r?.ipv6 ?? [])];
    if (!addrs.length) return out(stdout, '', 2);
    const canon = fromHosts ? fromHosts.names[0] : parseIpv4(key) !== null ? key : (r?.canonical ?? key);
    for (const a of addrs) {
      stdout += libc === 'glibc' ? `${a.padEnd(15)} STREAM ${canon}\n${a.padEnd(15)} DGRAM  \n${a.padEnd(15)} RAW    \n` : `${a.padEnd(15)} STREAM ${canon}\n${a.padEnd(15)} DGRAM  ${canon}\n`;
    }
  }
  return out(stdout);
};

/** DNS tools per place: BusyBox has only nslookup; tool images have bind-utils; glibc images getent. */
export function dnsCommandsFor(tools: 'busybox' | 'debian' | 'full' | 'node'): Record<string, Handler> {
  if (tools === 'busybox') return { nslookup, getent };
  if (tools === 'debian') return { getent };
  return { nslookup, dig, host, getent };
}
