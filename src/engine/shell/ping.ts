/**
 * `ping` and `traceroute` over the packet tracer. Every echo request is one trace through the
 * model (so a changed route changes the output); what is printed follows the tool the place
 * runs: busybox ping (`seq=0`, `N packets received`) or iputils ping (`icmp_seq=1`,
 * `56(84) bytes of data`, `rtt min/avg/max/mdev`), and traceroute's `N  addr  t ms t ms t ms`.
 *
 * Round-trip times are simulated, not measured: a fixed cost per device crossed plus a small
 * per-sequence variation from a hash, so the output is deterministic.
 */
import { formatIpv4, parseIpv4 } from '../addressing/ipv4';
import type { TraceLeg, TraceResult } from '../trace/traceTypes';
import { fnv32a } from '../util/hash';
import { readFileIn } from './files';
import { flavorOf, netnsOf } from './netcmds';
import { resolveHostName, traceFrom } from './netClient';
import { hostsLookup } from '../dns/stub';
import { fail, out, type Ctx, type Handler } from './types';

/**
 * Resolve a host name as the place's libc does before the first echo request: a literal,
 * /etc/hosts, (on nodes) the other nodes' names, then DNS through its resolv.conf — so `ping
 * web` from a pod sends its DNS queries to CoreDNS first, each one traced.
 */
export function resolveHost(ctx: Ctx, host: string): { ip: number; canonical: string } | null {
  const literal = parseIpv4(host);
  if (literal !== null) return { ip: literal, canonical: host };
  const hosts = readFileIn(ctx.session, ctx.place, '/etc/hosts') ?? '';
  const fromHosts = hostsLookup(hosts, host);
  const hostsIp = fromHosts ? parseIpv4(fromHosts) : null;
  if (hostsIp !== null) return { ip: hostsIp, canonical: host };
  if (ctx.place.kind !== 'pod') {
    const node = ctx.session.cluster.nodes.find((n) => n.meta.name === host);
    if (node) return { ip: node.ip, canonical: host };
  }
  const r = resolveHostName(ctx, host);
  const ip = r.ip ? parseIpv4(r.ip) : null;
  return ip === null ? null : { ip, canonical: r.canonical ?? host };
}


/** Simulated RTT in ms: 4 µs per hop in a namespace, 150 µs per crossing of the node network. */
function rtt(t: TraceResult, seq: number, salt: string): number {
  const legs: TraceLeg[] = [t, ...(t.reply ? [t.reply] : [])];
  let us = 20;
  for (const leg of legs) for (const h of leg.hops) us += h.action === 'wire' ? 150 : h.action === 'encap' || h.action === 'decap' ? 12 : 4;
  // A first packet also resolves neighbours; later ones vary by a few percent.
  const jitter = (fnv32a(`${salt}:${seq}`) % 40) - 10;
  return Math.max(1, us + jitter + (seq === 0 ? 60 : 0)) / 1000;
}

/** A traceroute probe's round trip: a simulated cost per router crossed, with the same stable jitter. */
function rttFor(dst: string, seq: number, salt: string): number {
  const ttl = Math.floor((seq - 1) / 3);
  const jitter = (fnv32a(`${dst}:${salt}:${seq}`) % 40) - 10;
  return Math.max(1, 180 + 160 * ttl + jitter) / 1000;
}

function fmtBusybox(ms: number): string {
  return ms.toFixed(3);
}

/** iputils: 3 decimals below 1 ms, then 2, 1, none (ping_common.c). */
function fmtIputils(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

interface PingOpts {
  count: number;
  /** No count given (or busybox -c 0): ping runs until Ctrl-C, which the simulated user presses after `count`. */
  untilInterrupt: boolean;
  size: number;
  df: boolean;
  ttl?: number;
  quiet: boolean;
  host?: string;
}

const BUSYBOX_PING_USAGE = `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: ping [OPTIONS] HOST

Send ICMP ECHO_REQUESTs to HOST

	-4,-6		Force IP or IPv6 name resolution
	-c CNT		Send only CNT pings
	-s SIZE		Send SIZE data bytes in packets (default 56)
	-i SECS		Interval
	-A		Ping as soon as reply is received
	-t TTL		Set TTL
	-I IFACE/IP	Source interface or IP address
	-W SEC		Seconds to wait for the first response (default 10)
			(after all -c CNT packets are sent)
	-w SEC		Seconds until ping exits (default:infinite)
			(can exit earlier with -c CNT)
	-q		Quiet, only display output at start/finish
	-p HEXBYTE	Payload pattern`;

/**
 * iputils' strtol_or_err (iputils.c): a whole decimal in [min, max], else
 * `invalid argument: 'X'` or `invalid argument: 'X': out of range: MIN <= value <= MAX`.
 */
function iputilsNumber(v: string, min: number, max: bigint): number | string {
  const m = /^\s*[-+]?\d+$/.exec(v);
  if (!m) return `ping: invalid argument: '${v}'`;
  const n = BigInt(v.trim());
  // strtol saturates at LONG_MAX/LONG_MIN with ERANGE.
  if (n > LONG_MAX || n < -LONG_MAX - 1n) return `ping: invalid argument: '${v}': Numerical result out of range`;
  if (n < BigInt(min) || n > max) return `ping: invalid argument: '${v}': out of range: ${min} <= value <= ${max}`;
  return Number(n);
}

/** busybox xatou_range: `invalid number 'X'`, `number X is not in MIN..MAX range`. */
function busyboxNumber(v: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(v)) return `ping: invalid number '${v}'`;
  const n = Number(v);
  if (n < min || n > max) return `ping: number ${v} is not in ${min}..${max} range`;
  return n;
}

const LONG_MAX = 9223372036854775807n;
const INT_MAX = 2147483647n;
/** iputils ping4_run: datalen above 0xFFFF - 8 - 20 (no IP options) is refused. */
const MAX_ICMP_DATA = 0xffff - 8 - 20;
/**
 * Echo requests one ping sends before the simulated user presses Ctrl-C: real ping sends one a
 * second, so `-c 100000` would run for a day. It stops as ping does on SIGINT (`^C`, then the
 * statistics of what was sent).
 */
export const PING_INTERRUPT_AFTER = 1000;

function parsePing(args: string[], busybox: boolean): PingOpts | string {
  // Without -c a real ping runs until ^C; the simulator sends 4, as if interrupted then.
  const o: PingOpts = { count: 4, untilInterrupt: true, size: 56, df: false, quiet: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      o.host = a;
      continue;
    }
    const flag = a[1];
    const takesValue = 'csWwitIMp'.includes(flag);
    const value = takesValue ? (a.length > 2 ? a.slice(2) : args[++i]) : undefined;
    if (takesValue && value === undefined) return busybox ? `ping: option requires an argument -- '${flag}'\n${BUSYBOX_PING_USAGE}` : `ping: option requires an argument -- '${flag}'`;
    const num = (min: number, max: bigint, bbMax: number) => (busybox ? busyboxNumber(value!, min, bbMax) : iputilsNumber(value!, min, max));
    switch (flag) {
      case 'c': {
        // busybox: -c 0 means no limit (until ^C); iputils refuses it.
        const n = busybox ? busyboxNumber(value!, 0, 2147483647) : iputilsNumber(value!, 1, LONG_MAX);
        if (typeof n === 'string') return n;
        if (n > 0) {
          o.count = n;
          o.untilInterrupt = false;
        }
        break;
      }
      case 's': {
        const n = num(0, INT_MAX, 65535);
        if (typeof n === 'string') return n;
        o.size = n;
        break;
      }
      case 't': {
        const n = num(busybox ? 1 : 0, 255n, 255);
        if (typeof n === 'string') return n;
        o.ttl = n;
        break;
      }
      case 'M':
        if (busybox) return `ping: invalid option -- 'M'\n${BUSYBOX_PING_USAGE}`;
        if (value === 'do' || value === 'probe') o.df = true;
        else if (value !== 'dont' && value !== 'want') return `ping: invalid -M argument: ${value}`;
        break;
      case 'q':
        o.quiet = true;
        break;
      case '4':
      case 'n':
      case 'W':
      case 'w':
      case 'i':
      case 'I':
      case 'p':
      case 'A':
      case 'D':
      case 'O':
        break;
      default:
        return busybox ? `ping: invalid option -- '${flag}'\n${BUSYBOX_PING_USAGE}` : `ping: invalid option -- '${flag}'`;
    }
  }
  if (!busybox && o.size > MAX_ICMP_DATA) return `ping: packet size ${o.size} is too large. Maximum is ${MAX_ICMP_DATA}`;
  return o;
}

/** The MTU of the route's device toward `dst` in the source namespace (for ping's local error). */
function localMtu(ctx: Ctx, dst: number): number | undefined {
  const ns = netnsOf(ctx, ctx.place);
  if (!ns) return undefined;
  let best: { prefix: number; dev?: string } | undefined;
  for (const r of ns.routes) {
    if ((r.table ?? 'main') !== 'main' || !r.dst.contains(dst)) continue;
    if (!best || r.dst.prefix > best.prefix) best = { prefix: r.dst.prefix, dev: r.dev };
  }
  return ns.links.find((l) => l.name === best?.dev)?.mtu;
}

function fragNeeded(t: TraceResult): { from: string; mtu: number } | undefined {
  for (const h of t.hops) {
    if (h.action !== 'icmp-error') continue;
    const m = /mtu\s*=?\s*(\d+)/i.exec(h.detail);
    if (m) return { from: h.packet.src, mtu: Number(m[1]) };
  }
  return undefined;
}

function replyTtl(t: TraceResult): number {
  const hops = t.reply?.hops ?? [];
  return hops.length ? hops[hops.length - 1].packet.ttl : 64;
}

export const ping: Handler = (args, ctx) => {
  const busybox = flavorOf(ctx.place) === 'busybox';
  const o = parsePing(args, busybox);
  // iputils: a bad number exits through error(EXIT_FAILURE, …); usage errors and a too-large packet exit 2.
  if (typeof o === 'string') return fail(o, busybox || o.startsWith('ping: invalid argument') ? 1 : 2);
  if (!o.host) return busybox ? fail(`${BUSYBOX_PING_USAGE}`, 1) : fail('ping: usage error: Destination address required', 1);
  const resolved = resolveHost(ctx, o.host);
  if (resolved === null) return busybox ? fail(`ping: bad address '${o.host}'`, 1) : fail(`ping: ${o.host}: Name or service not known`, 2);
  const dst = resolved.ip;
  const dstText = formatIpv4(dst);
  // iputils ping names the host by its canonical name (AI_CANONNAME: `web` → web.default.svc.cluster.local); busybox as typed.
  const shown = busybox ? o.host : resolved.canonical;
  const from = traceFrom(ctx, ctx.place);
  const tracer = ctx.session.options.trace;
  const named = o.host !== dstText;
  let stdout = busybox ? `PING ${o.host} (${dstText}): ${o.size} data bytes\n` : `PING ${shown} (${dstText}) ${o.size}(${o.size + 28}) bytes of data.\n`;
  let stderr = '';
  const times: number[] = [];
  let errors = 0;
  const mtu = localMtu(ctx, dst);
  // Every echo request of one run is the same packet through the same (unchanging) cluster: trace it once.
  let traced: TraceResult | undefined;
  const sent = Math.min(o.count, PING_INTERRUPT_AFTER);
  for (let seq = 0; seq < sent; seq++) {
    if (!busybox && o.df && mtu !== undefined && o.size + 28 > mtu) {
      stderr += `ping: local error: message too long, mtu=${mtu}\n`;
      errors++;
      continue;
    }
    if (!from || !tracer) {
      return out(stdout, `ping: sendto: Network unreachable\n`, 1);
    }
    // Without -M do the socket is IP_PMTUDISC_WANT: the kernel fragments what exceeds the route MTU.
    const t = (traced ??= tracer(ctx.session.cluster, { from, to: dstText, proto: 'icmp', size: o.size, df: o.df, ...(o.ttl ? { ttl: o.ttl } : {}) }));
    ctx.session.traces.push(t);
    if (t.verdict === 'unreachable' && t.hops.every((h) => h.netns === t.hops[0]?.netns)) {
      // No route in the sender itself: the socket call fails.
      if (busybox) return out(stdout, 'ping: sendto: Network unreachable\n', 1);
      return out('', `ping: connect: Network is unreachable\n`, 2);
    }
    const frag = fragNeeded(t);
    if (frag && !busybox) {
      stdout += `From ${frag.from} icmp_seq=${seq + 1} Frag needed and DF set (mtu = ${frag.mtu})\n`;
      errors++;
      continue;
    }
    if (t.verdict !== 'delivered' || !t.reply || t.reply.verdict !== 'delivered') continue;
    const ms = rtt(t, seq, `${from}>${dstText}`);
    times.push(ms);
    if (o.quiet) continue;
    if (busybox) stdout += `${o.size + 8} bytes from ${dstText}: seq=${seq} ttl=${replyTtl(t)} time=${fmtBusybox(ms)} ms\n`;
    else stdout += `${o.size + 8} bytes from ${named ? `${shown} (${dstText})` : dstText}: icmp_seq=${seq + 1} ttl=${replyTtl(t)} time=${fmtIputils(ms)} ms\n`;
  }
  const n = sent;
  const got = times.length;
  const loss = Math.round(((n - got) * 100) / n);
  // Interrupted: the terminal echoes ^C where the blank line would be.
  stdout += `${sent < o.count || o.untilInterrupt ? '^C' : ''}\n--- ${shown} ping statistics ---\n`;
  const min = Math.min(...times);
  const max = Math.max(...times);
  const avg = times.reduce((a, b) => a + b, 0) / (got || 1);
  if (busybox) {
    stdout += `${n} packets transmitted, ${got} packets received, ${loss}% packet loss\n`;
    if (got) stdout += `round-trip min/avg/max = ${fmtBusybox(min)}/${fmtBusybox(avg)}/${fmtBusybox(max)} ms\n`;
  } else {
    const time = (n - 1) * 1000 + n;
    stdout += `${n} packets transmitted, ${got} received, ${errors ? `+${errors} errors, ` : ''}${loss}% packet loss, time ${time}ms\n`;
    if (got) {
      const mdev = Math.sqrt(times.reduce((a, b) => a + (b - avg) ** 2, 0) / got);
      stdout += `rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms\n`;
    }
  }
  return out(stdout, stderr, got ? 0 : busybox ? 1 : errors && !got ? 1 : 1);
};

export const traceroute: Handler = (args, ctx) => {
  const busybox = flavorOf(ctx.place) === 'busybox';
  const host = args.filter((a) => !a.startsWith('-') && !/^\d+$/.test(a))[0];
  const numeric = args.includes('-n');
  if (!host) return fail(busybox ? 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: traceroute [-46IFlnrv] [-f 1ST_TTL] [-m MAXTTL] [-q PROBES] [-p PORT]\n\t[-t TOS] [-w WAIT_SEC] [-s SRC_IP] [-i IFACE]\n\t[-z PAUSE_MSEC] HOST [BYTES]' : 'Usage:\n  traceroute [ -46dFITnreAUDV ] [ -f first_ttl ] [ -g gate,... ] [ -i device ] [ -m max_ttl ] [ -N squeries ] [ -p port ] [ -t tos ] [ -l flow_label ] [ -w MAX,HERE,NEAR ] [ -q nqueries ] [ -s src_addr ] [ -z sendwait ] [ --fwmark=num ] host [ packetlen ]', busybox ? 1 : 2);
  const dst = resolveHost(ctx, host)?.ip ?? null;
  if (dst === null) return busybox ? fail(`traceroute: bad address '${host}'`, 1) : fail(`${host}: Name or service not known\nCannot handle "host" cmdline arg \`${host}' on position 1 (argc 1)`, 2);
  const dstText = formatIpv4(dst);
  const from = traceFrom(ctx, ctx.place);
  const probe = ctx.session.options.traceroute;
  let stdout = `traceroute to ${host} (${dstText}), 30 hops max, ${busybox ? 46 : 60} byte packets\n`;
  if (!from || !probe) return out(stdout, 'traceroute: sendto: Network unreachable\n', 1);
  // One probe per TTL through the tracer: routers answer with ICMP time exceeded from their own address.
  const hops = probe(ctx.session.cluster, from, dstText, { size: busybox ? 18 : 32 });
  const name = (ip: string) => (numeric || busybox ? ip : `${ip} (${ip})`);
  const probes = (ttl: number) => [0, 1, 2].map((q) => `${rttFor(dstText, ttl * 3 + q + 1, `tr:${ttl}`).toFixed(3)} ms`).join('  ');
  for (const h of hops) stdout += h.address === null ? `${String(h.ttl).padStart(2)}  * * *\n` : `${String(h.ttl).padStart(2)}  ${name(h.address)}  ${probes(h.ttl)}\n`;
  return out(stdout);
};
