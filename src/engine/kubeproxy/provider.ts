/**
 * The netfilter provider for Services and masquerading: one hook that, in each node namespace,
 * does what the kernel does with the node's ruleset (ruleset.ts) at each hook point:
 *
 *   PREROUTING / OUTPUT  conntrack; new flows walk nat PREROUTING/OUTPUT (iptables: KUBE-SERVICES
 *                        → KUBE-SVC → KUBE-SEP DNAT; nftables: the service-ips map; IPVS at
 *                        OUTPUT for the node's own sockets); replies are un-SNATed
 *   INPUT                IPVS catches ClusterIPs bound to kube-ipvs0 (ip_vs_in at LOCAL_IN);
 *                        filter INPUT; replies are un-DNATed
 *   FORWARD / OUTPUT     filter (REJECT for Services without endpoints)
 *   POSTROUTING          new flows walk nat POSTROUTING (KUBE-POSTROUTING MASQUERADE of marked
 *                        packets, the CNI's outbound SNAT); replies are un-DNATed
 *
 * In pod namespaces it only records where the connection started (the socket), Cilium's socket
 * LB rewrites the destination at connect() when kube-proxy is replaced, and a reply is checked
 * against the socket: a SYN-ACK from an address the client did not connect to matches no
 * socket and is dropped (the bridge-nf-call-iptables=0 failure).
 *
 * Endpoint choice is deterministic: `-m statistic --mode random` draws from a hash of the cluster
 * seed, the connection tuple and the rule (the client address alone with ClientIP affinity), so
 * the same trace always picks the same endpoint and many connections spread as 1/n each.
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { Cluster } from '../model/cluster';
import type { Netns } from '../model/netns';
import type { PacketRepr } from '../model/packet';
import type { NetfilterHook, NfContext, NfVerdict } from '../dataplane/netfilter';
import { indexOf, isLocalAddress } from '../dataplane/nsIndex';
import { fnv32a } from '../util/hash';
import { ctTable, journal, replyTuple, sameTuple, type CtEntry, type Tuple } from './conntrack';
import { evaluateChain, type EvalResult, type PacketFacts } from './evaluate';
import { backendsFor, frontendKey, frontends, mixedHash, pickIndex, type Frontend } from './lookup';
import { nftChainNames } from './nftables';
import { rulesetOf, viewsOf, type NodeRuleset } from './ruleset';
import { saveRule } from './rules';
import { vsKey } from './ipvs';

const ORIGIN = 'socket-origin';
const RECENT = 'recent';

interface Origin {
  netns: string;
  tuple: Tuple;
  /** The address the application asked for (before Cilium's socket LB). */
  asked?: { ip: Ipv4; port: number };
}

export function hookName(cluster: Cluster): string {
  const m = cluster.config.kubeProxy;
  if (m === 'none') return cluster.config.cni.startsWith('cilium') ? 'cilium/ebpf' : 'netfilter';
  return `kube-proxy/${m}`;
}

export function tupleOf(p: PacketRepr): Tuple {
  const l4 = p.l4;
  if (l4.proto === 'icmp') return { src: p.ip.src, dst: p.ip.dst, proto: 'icmp', sport: l4.id, dport: l4.id };
  return { src: p.ip.src, dst: p.ip.dst, proto: l4.proto, sport: l4.srcPort, dport: l4.dstPort };
}

const tupleKey = (t: Tuple) => `${t.proto}/${t.src}:${t.sport}>${t.dst}:${t.dport}`;

function withDst(p: PacketRepr, ip: Ipv4, port?: number): PacketRepr {
  const l4 = p.l4.proto !== 'icmp' && port !== undefined ? { ...p.l4, dstPort: port } : p.l4;
  return { ...p, ip: { ...p.ip, dst: ip }, l4 };
}

function withSrc(p: PacketRepr, ip: Ipv4, port?: number): PacketRepr {
  const l4 = p.l4.proto !== 'icmp' && port !== undefined ? { ...p.l4, srcPort: port } : p.l4;
  return { ...p, ip: { ...p.ip, src: ip }, l4 };
}

const ipPort = (ip: Ipv4, port: number, proto: string) => (proto === 'icmp' ? formatIpv4(ip) : `${formatIpv4(ip)}:${port}`);

export function kubeProxyHooks(cluster: Cluster): NetfilterHook[] {
  const name = hookName(cluster);
  return [
    {
      name,
      hooks: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
      run: (ctx) => runHook(ctx),
    },
  ];
}

function runHook(ctx: NfContext): NfVerdict {
  const p = ctx.packet;
  if (p.encap.length) return { kind: 'accept' };
  if (ctx.leg === 'request' && ctx.hook === 'OUTPUT' && !ctx.state.has(ORIGIN)) {
    const origin: Origin = { netns: ctx.netns.id, tuple: tupleOf(p) };
    ctx.state.set(ORIGIN, origin);
    const lb = socketLb(ctx, origin);
    if (lb) return lb;
  }
  let v: NfVerdict = { kind: 'accept' };
  if (ctx.netns.kind === 'node' && ctx.netns.node) v = nodeHook(ctx, rulesetOf(ctx.cluster, ctx.netns.node));
  if (v.kind === 'drop') return v;
  if (ctx.leg === 'reply' && ctx.hook === 'INPUT') {
    const q = v.kind === 'rewrite' ? v.packet : p;
    const refused = socketCheck(ctx, q);
    if (refused) return refused;
  }
  return v;
}

/** A reply must come from where the socket is connected, or no socket takes it. */
function socketCheck(ctx: NfContext, p: PacketRepr): NfVerdict | undefined {
  const o = ctx.state.get(ORIGIN) as Origin | undefined;
  if (!o || o.netns !== ctx.netns.id) return undefined;
  const t = tupleOf(p);
  if (t.src === o.tuple.dst && t.sport === o.tuple.dport && t.dst === o.tuple.src && t.dport === o.tuple.sport) return undefined;
  const what = t.proto === 'tcp' ? 'TCP SYN-ACK' : t.proto === 'udp' ? 'UDP datagram' : 'ICMP echo reply';
  const hang =
    t.proto === 'tcp'
      ? 'the kernel answers it with a RST and the client keeps retransmitting its SYN: the connection hangs'
      : t.proto === 'udp'
        ? 'the datagram is dropped (ICMP port unreachable back) and the client times out'
        : 'ping ignores it';
  return {
    kind: 'drop',
    detail: `${what} from ${ipPort(t.src, t.sport, t.proto)} matches no socket: the client is talking to ${ipPort(o.tuple.dst, o.tuple.dport, t.proto)} (the reply was never translated back); ${hang}`,
  };
}

// ── Cilium kube-proxy replacement: socket LB ────────────────────────────────

function socketLb(ctx: NfContext, origin: Origin): NfVerdict | undefined {
  const c = ctx.cluster;
  if (c.config.kubeProxy !== 'none' || !c.config.cni.startsWith('cilium')) return undefined;
  const t = origin.tuple;
  if (t.proto === 'icmp') return undefined;
  const nodeName = ctx.netns.node;
  if (!nodeName) return undefined;
  const views = viewsOf(c, nodeName);
  const f = frontends(views).get(frontendKey(t.proto, t.dst, t.dport));
  if (!f || f.kind === 'NodePort') return undefined;
  const backends = backendsFor(f);
  if (!backends.length) return { kind: 'drop', detail: `cgroup/connect4 (socket LB): ${ipPort(t.dst, t.dport, t.proto)} is ${f.view.name} with no backends: connect() fails with ECONNREFUSED` };
  const key = f.view.svc.sessionAffinity === 'ClientIP' ? `${t.src}` : tupleKey(t);
  const i = pickIndex(c.config.seed, key, backends.length);
  const b = backends[i];
  origin.asked = { ip: t.dst, port: t.dport };
  origin.tuple = { ...t, dst: b.ip, dport: b.port };
  return {
    kind: 'rewrite',
    packet: withDst(ctx.packet, b.ip, b.port),
    chains: ['cgroup/connect4'],
    detail: `cgroup/connect4 (bpf_sock.c sock4_connect, socket LB): lb4 service map lookup ${ipPort(t.dst, t.dport, t.proto)}/${t.proto.toUpperCase()} → ${f.view.name}, backend ${i + 1} of ${backends.length} ${b.text}${b.info.pod ? ` (${b.info.pod.namespace}/${b.info.pod.name})` : ''}; the socket is connected to the backend, so no per-packet NAT follows; checked 1 map entry`,
  };
}

// ── node namespaces ─────────────────────────────────────────────────────────

function factsFor(ctx: NfContext, rs: NodeRuleset, t: Tuple, e: CtEntry, ctstate: PacketFacts['ctstate']): PacketFacts {
  const ns = ctx.netns;
  const seed = ctx.cluster.config.seed;
  const recent = (ctx.state.get(RECENT) as Map<string, Set<Ipv4>> | undefined) ?? new Map<string, Set<Ipv4>>();
  return {
    src: t.src,
    dst: t.dst,
    proto: t.proto,
    sport: t.sport,
    dport: t.dport,
    ...(ctx.inDev ? { inDev: ctx.inDev.name } : {}),
    ...(ctx.outDev ? { outDev: ctx.outDev.name } : {}),
    mark: e.mark,
    ctstate,
    dnat: !!e.dnat,
    bridged: !!ctx.bridged,
    isLocal: (ip) => isLocalAddress(ns, ip),
    isLocalOn: (ip, dev) => !!dev && (indexOf(ns).link.get(dev)?.addrs.some((a) => a.ip === ip) ?? false),
    draw: (chain, index) => mixedHash(`${seed}/${rs.affinity.has(chain) ? t.src : tupleKey(e.orig)}/${chain}/${index}`) / 4294967296,
    recent: (name, ip) => recent.get(name)?.has(ip) ?? false,
    sets: {
      keys: (name) => rs.ipvs?.ipsets.get(name)?.keys,
      portNets: (name) => rs.ipvs?.ipsets.get(name)?.nets,
      nets: (name) => rs.netSets.get(name),
    },
  };
}

function recordRecent(ctx: NfContext, names: string[], ip: Ipv4) {
  if (!names.length) return;
  let m = ctx.state.get(RECENT) as Map<string, Set<Ipv4>> | undefined;
  if (!m) ctx.state.set(RECENT, (m = new Map()));
  for (const n of names) {
    if (!m.has(n)) m.set(n, new Set());
    m.get(n)!.add(ip);
  }
}

function findRequest(list: CtEntry[], t: Tuple): CtEntry | undefined {
  return list.find((e) => sameTuple(e.orig, t) || (e.dnat !== undefined && sameTuple({ ...e.orig, dst: e.dnat.ip, dport: e.dnat.port }, t)));
}

function findReply(list: CtEntry[], t: Tuple): CtEntry | undefined {
  for (const e of list) {
    const r = replyTuple(e);
    if (sameTuple(r, t)) return e;
    // Already un-SNATed at PREROUTING: the destination is the original source again.
    if (e.snat && sameTuple({ ...r, dst: e.orig.src, dport: e.orig.sport }, t)) return e;
  }
  return undefined;
}

function nodeHook(ctx: NfContext, rs: NodeRuleset | undefined): NfVerdict {
  if (!rs) return { kind: 'accept' };
  const list = ctTable(ctx.state, ctx.netns.id);
  const t = tupleOf(ctx.packet);
  if (ctx.leg === 'reply') return replyHook(ctx, list, t);

  let e = findRequest(list, t);
  let fresh = false;
  if (!e) {
    if (ctx.hook !== 'PREROUTING' && ctx.hook !== 'OUTPUT') return { kind: 'accept' };
    e = { netns: ctx.netns.id, orig: t, mark: 0, replied: false };
    list.push(e);
    journal(ctx.cluster, e);
    fresh = true;
  }
  switch (ctx.hook) {
    case 'PREROUTING':
    case 'OUTPUT': {
      if (!fresh) {
        if (e.dnat && t.dst === e.orig.dst) return rewriteDnat(ctx, e, `conntrack: established flow, DNAT to ${ipPort(e.dnat.ip, e.dnat.port, t.proto)} as before`);
        return { kind: 'accept' };
      }
      const nat = natPreroutingOrOutput(ctx, rs, t, e);
      if (nat.kind !== 'accept') return nat;
      if (ctx.hook === 'OUTPUT') return filterWalk(ctx, rs, t, e, 'OUTPUT');
      return nat;
    }
    case 'INPUT': {
      if (rs.mode === 'ipvs' && !e.dnat && t.proto !== 'icmp' && rs.ipvs?.services.has(vsKey(t.proto, t.dst, t.dport))) {
        // filter INPUT (priority 0) sees the packet before IPVS (LOCAL_IN at NF_IP_PRI_NAT_SRC - 2):
        // KUBE-PROXY-FIREWALL's source-range check applies to the virtual address.
        const f = filterWalk(ctx, rs, t, e, 'INPUT');
        if (f.kind === 'drop') return f;
        const v = ipvsTranslate(ctx, rs, t, e, 'LOCAL_IN (ip_vs_in)');
        if (v) return v;
        return f;
      }
      return filterWalk(ctx, rs, t, e, 'INPUT');
    }
    case 'FORWARD':
      return filterWalk(ctx, rs, t, e, 'FORWARD');
    case 'POSTROUTING': {
      if (e.snat || (e as CtEntry & { postDone?: boolean }).postDone) return { kind: 'accept' };
      (e as CtEntry & { postDone?: boolean }).postDone = true;
      return natPostrouting(ctx, rs, t, e);
    }
  }
}

function rewriteDnat(ctx: NfContext, e: CtEntry, detail: string, chains?: string[]): NfVerdict {
  return { kind: 'rewrite', packet: withDst(ctx.packet, e.dnat!.ip, e.dnat!.port), detail, ...(chains?.length ? { chains } : {}) };
}

function pathText(r: EvalResult, hook: string): string {
  return `nat ${r.path.join(' → ') || hook}`;
}

function natPreroutingOrOutput(ctx: NfContext, rs: NodeRuleset, t: Tuple, e: CtEntry): NfVerdict {
  const hook = ctx.hook;
  if (rs.mode === 'nftables') return nftTranslate(ctx, rs, t, e);
  if (rs.mode === 'ipvs' || rs.mode === 'iptables' || rs.tables.nat.chains.get(hook)!.rules.length) {
    const r = evaluateChain(rs.tables.nat, hook, factsFor(ctx, rs, t, e, 'NEW'));
    e.mark = r.mark;
    recordRecent(ctx, r.recentSet, t.src);
    if (r.terminal?.kind === 'DNAT') {
      const port = r.terminal.port ?? t.dport;
      e.dnat = { ip: r.terminal.ip, port };
      e.by = hookName(ctx.cluster);
      const sepChain = r.rule!.chain;
      const sep = rs.seps.get(sepChain);
      const svcChain = r.path.find((c) => c.startsWith('KUBE-SVC-') || c.startsWith('KUBE-SVL-'));
      const svc = svcChain ? rs.tables.nat.chains.get(svcChain) : undefined;
      const n = svc ? svc.rules.filter((x) => x.target.t === 'jump' && x.target.chain.startsWith('KUBE-SEP-') && !x.matches.some((m) => m.m === 'recent')).length : 1;
      const mark = e.mark & 0x4000 ? '; marked 0x4000 for masquerade (KUBE-MARK-MASQ)' : '';
      const who = sep ? `endpoint ${sep.endpoint}${sep.pod ? ` (${sep.pod})` : ''}${n > 1 ? `, one of ${n} by -m statistic --mode random` : ''}` : `to ${ipPort(r.terminal.ip, port, t.proto)}`;
      return rewriteDnat(ctx, e, `${pathText(r, hook)}: ${saveRule(r.rule!)}; ${who}${mark}; checked ${r.checked} rules`, r.path);
    }
    if (rs.mode === 'ipvs' && hook === 'OUTPUT') {
      const v = ipvsTranslate(ctx, rs, t, e, 'LOCAL_OUT (ip_vs_local_request4)', r.checked);
      if (v) return v;
    }
  }
  return { kind: 'accept' };
}

function filterWalk(ctx: NfContext, rs: NodeRuleset, t: Tuple, e: CtEntry, chain: 'INPUT' | 'FORWARD' | 'OUTPUT'): NfVerdict {
  if (rs.mode === 'nftables' || rs.mode === 'none') {
    const f = rs.mode === 'nftables' && !e.dnat ? frontends(rs.views).get(frontendKey(t.proto, t.dst, t.dport)) : undefined;
    if (f && f.kind === 'ClusterIP' && !backendsFor(f).length) {
      return { kind: 'drop', detail: `nft table ip kube-proxy chain filter-${chain === 'INPUT' ? 'input' : chain === 'FORWARD' ? 'forward' : 'output'}: ip daddr . meta l4proto . th dport vmap @no-endpoint-services → goto reject-chain: ${f.view.name} has no endpoints (ICMP port unreachable, connection refused); checked 1 map entry` };
    }
    return { kind: 'accept' };
  }
  const r = evaluateChain(rs.tables.filter, chain, factsFor(ctx, rs, t, e, 'NEW'));
  if (r.terminal?.kind === 'REJECT') {
    return { kind: 'drop', detail: `filter ${r.path.join(' → ')}: ${saveRule(r.rule!)}: ICMP port unreachable back to ${formatIpv4(t.src)} (connection refused); checked ${r.checked} rules` };
  }
  if (r.terminal?.kind === 'DROP') return { kind: 'drop', detail: `filter ${r.path.join(' → ')}: ${saveRule(r.rule!)}; checked ${r.checked} rules` };
  return { kind: 'accept' };
}

/** The address MASQUERADE picks: the outgoing device's primary address, else the first global address of the namespace. */
function masqueradeAddress(ns: Netns, dev: string | undefined): Ipv4 | undefined {
  const link = dev ? indexOf(ns).link.get(dev) : undefined;
  const own = link?.addrs.find((a) => a.scope === 'global');
  if (own) return own.ip;
  for (const l of ns.links) {
    if (l.kind === 'loopback' || l.name === 'kube-ipvs0') continue;
    const a = l.addrs.find((x) => x.scope === 'global');
    if (a) return a.ip;
  }
  return undefined;
}

function natPostrouting(ctx: NfContext, rs: NodeRuleset, t: Tuple, e: CtEntry): NfVerdict {
  if (rs.mode === 'nftables' && e.mark & 0x4000) {
    return masquerade(ctx, e, t, true, `nft table ip kube-proxy chain nat-postrouting: jump masquerading → meta mark & 0x00004000 == 0x00004000 masquerade fully-random; checked 3 rules`);
  }
  const r = evaluateChain(rs.tables.nat, 'POSTROUTING', factsFor(ctx, rs, t, e, 'NEW'));
  if (!r.terminal) {
    if (rs.masq.bpf && ctx.outDev?.name === rs.masq.bpf.device && !ctx.cluster.config.podCIDR.contains(t.dst) && ctx.cluster.config.podCIDR.contains(t.src)) {
      return masquerade(ctx, e, t, false, rs.masq.bpf.detail);
    }
    return { kind: 'accept' };
  }
  const term = r.terminal;
  if (term.kind === 'MASQUERADE') return masquerade(ctx, e, t, term.randomFully, `${pathText(r, 'POSTROUTING')}: ${saveRule(r.rule!)}; checked ${r.checked} rules`);
  if (term.kind === 'SNAT') {
    const port = term.randomFully && t.proto !== 'icmp' ? randomPort(t) : t.sport;
    e.snat = { ip: term.ip, port };
    return { kind: 'rewrite', packet: withSrc(ctx.packet, term.ip, port), detail: `${pathText(r, 'POSTROUTING')}: ${saveRule(r.rule!)}: source ${ipPort(t.src, t.sport, t.proto)} → ${ipPort(term.ip, port, t.proto)}; checked ${r.checked} rules` };
  }
  return { kind: 'accept' };
}

/** --random-fully: the source port is a hash of the flow (prandom in the kernel), 1024–65535. */
function randomPort(t: Tuple): number {
  return 1024 + (fnv32a(`masq/${tupleKey(t)}`) % (65535 - 1024 + 1));
}

function masquerade(ctx: NfContext, e: CtEntry, t: Tuple, randomFully: boolean, detail: string): NfVerdict {
  const ip = masqueradeAddress(ctx.netns, ctx.outDev?.name);
  if (ip === undefined) return { kind: 'accept' };
  const port = randomFully && t.proto !== 'icmp' ? randomPort(t) : t.sport;
  e.snat = { ip, port };
  return { kind: 'rewrite', packet: withSrc(ctx.packet, ip, port), detail: `${detail}: source ${ipPort(t.src, t.sport, t.proto)} → ${ipPort(ip, port, t.proto)} (${ctx.outDev?.name ?? '?'})` };
}

function replyHook(ctx: NfContext, list: CtEntry[], t: Tuple): NfVerdict {
  const e = findReply(list, t);
  if (!e) return { kind: 'accept' };
  e.replied = true;
  if ((ctx.hook === 'PREROUTING' || ctx.hook === 'OUTPUT') && e.snat && t.dst === e.snat.ip && t.dport === e.snat.port) {
    return { kind: 'rewrite', packet: withDst(ctx.packet, e.orig.src, e.orig.sport), detail: `conntrack: reply of ${flowText(e)}: un-SNAT, destination ${ipPort(t.dst, t.dport, t.proto)} → ${ipPort(e.orig.src, e.orig.sport, t.proto)}` };
  }
  if ((ctx.hook === 'POSTROUTING' || ctx.hook === 'INPUT') && e.dnat && t.src === e.dnat.ip && t.sport === e.dnat.port) {
    return { kind: 'rewrite', packet: withSrc(ctx.packet, e.orig.dst, e.orig.dport), detail: `conntrack: reply of ${flowText(e)}: un-DNAT, source ${ipPort(t.src, t.sport, t.proto)} → ${ipPort(e.orig.dst, e.orig.dport, t.proto)}` };
  }
  return { kind: 'accept' };
}

function flowText(e: CtEntry): string {
  const o = e.orig;
  return `${o.proto} ${ipPort(o.src, o.sport, o.proto)} → ${ipPort(o.dst, o.dport, o.proto)}`;
}

// ── IPVS ────────────────────────────────────────────────────────────────────

function ipvsTranslate(ctx: NfContext, rs: NodeRuleset, t: Tuple, e: CtEntry, where: string, iptChecked = 0): NfVerdict | undefined {
  if (t.proto === 'icmp' || !rs.ipvs) return undefined;
  const vs = rs.ipvs.services.get(vsKey(t.proto, t.dst, t.dport));
  if (!vs) return undefined;
  if (!vs.reals.length) return { kind: 'drop', detail: `IPVS ${where}: virtual server ${vs.proto} ${ipPort(t.dst, t.dport, t.proto)} has no real servers: dropped` };
  const i = pickIndex(ctx.cluster.config.seed, vs.persistent ? `${t.src}` : tupleKey(t), vs.reals.length);
  const real = vs.reals[i];
  e.dnat = { ip: real.ip, port: real.port };
  e.by = 'ipvs';
  const persist = vs.persistent ? ` persistent ${vs.persistent}` : '';
  return rewriteDnat(
    ctx,
    e,
    `IPVS ${where}: virtual server ${vs.proto}  ${ipPort(t.dst, t.dport, t.proto)} rr${persist} (${vs.svc}) → real server ${ipPort(real.ip, real.port, t.proto)} Masq${real.pod ? ` (${real.pod})` : ''}, ${i + 1} of ${vs.reals.length}${e.mark & 0x4000 ? '; marked 0x4000 for masquerade' : ''}; checked ${iptChecked ? `${iptChecked} iptables rules + ` : ''}1 hash lookup (ip_vs_service_find) of ${rs.ipvs.services.size} virtual servers`,
    ['IPVS'],
  );
}

// ── nftables ────────────────────────────────────────────────────────────────

function nftTranslate(ctx: NfContext, rs: NodeRuleset, t: Tuple, e: CtEntry): NfVerdict {
  if (t.proto === 'icmp') return { kind: 'accept' };
  const f: Frontend | undefined = frontends(rs.views).get(frontendKey(t.proto, t.dst, t.dport)) ?? (isLocalAddress(ctx.netns, t.dst) ? frontends(rs.views).get(frontendKey(t.proto, '*', t.dport)) : undefined);
  if (!f) return { kind: 'accept' };
  const backends = backendsFor(f);
  if (!backends.length) return { kind: 'accept' };
  const v = f.view;
  const names = nftChainNames(v);
  const i = pickIndex(ctx.cluster.config.seed, v.svc.sessionAffinity === 'ClientIP' ? `${t.src}` : tupleKey(t), backends.length);
  const b = backends[i];
  const masq = f.kind !== 'ClusterIP' || !ctx.cluster.config.podCIDR.contains(t.src) || t.src === b.ip;
  if (masq) e.mark |= 0x4000;
  e.dnat = { ip: b.ip, port: b.port };
  e.by = 'kube-proxy/nftables';
  const map = f.kind === 'NodePort' ? 'service-nodeports' : 'service-ips';
  const epChain = names.endpoint(b);
  return rewriteDnat(
    ctx,
    e,
    `nft table ip kube-proxy chain ${ctx.hook === 'OUTPUT' ? 'nat-output' : 'nat-prerouting'} → services: ${map} verdict map ${ipPort(t.dst, t.dport, t.proto)}/${t.proto} → goto ${names.service}${f.kind === 'ClusterIP' ? '' : ` (${names.external})`} → numgen random mod ${backends.length} vmap → goto ${epChain}: meta l4proto ${t.proto} dnat to ${b.text}${b.info.pod ? ` (${b.info.pod.namespace}/${b.info.pod.name})` : ''}${masq ? '; mark-for-masquerade' : ''}; checked 1 map lookup + ${masq ? 4 : 3} rules`,
    [ctx.hook === 'OUTPUT' ? 'nat-output' : 'nat-prerouting', 'services', names.service, epChain],
  );
}
