import { describe, expect, it } from 'vitest';
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import { evaluateChain, type EvalResult, type PacketFacts } from './evaluate';
import { mixedHash } from './lookup';
import { addRule, emptyTable, ensureChain, kubeProxyProbability, statisticProbability, type Match, type Rule, type TableRules } from './rules';

/**
 * The compiled walk (hash keys, packed rows, key slots that stand for whole rules) must give
 * exactly what the plain iptables semantics give: ipt_do_table over the Rule objects, rule by rule.
 */
function reference(t: TableRules, chain: string, f: PacketFacts): EvalResult {
  const res: EvalResult = { path: [], checked: 0, mark: f.mark, recentSet: [], passedOver: 0 };
  const mark0 = f.mark;
  const matches = (r: Rule, index: number): boolean => {
    if (r.s && r.s.cidr.contains(f.src) === !!r.s.neg) return false;
    if (r.d && r.d.cidr.contains(f.dst) === !!r.d.neg) return false;
    if (r.p && r.p !== f.proto) return false;
    return r.matches.every((m: Match) => {
      switch (m.m) {
        case 'tcp':
        case 'udp':
          return m.m === f.proto && (m.dport === undefined || (m.dport === f.dport) !== !!m.neg) && (m.sport === undefined || (m.sport === f.sport) !== !!m.neg);
        case 'statistic':
          return f.draw(r.chain, index) < statisticProbability(m.probability);
        case 'mark':
          return ((f.mark & m.mask) >>> 0 === m.value) !== !!m.neg;
        default:
          return true;
      }
    });
  };
  const walk = (name: string, depth: number): boolean => {
    const c = t.chains.get(name);
    if (!c || depth > 32) return false;
    res.path.push(name);
    for (const [i, r] of c.rules.entries()) {
      res.checked++;
      if (!matches(r, i)) continue;
      for (const m of r.matches) if (m.m === 'recent' && m.op === 'set') res.recentSet.push(m.name);
      const tg = r.target;
      if (tg.t === 'jump' && walk(tg.chain, depth + 1)) return true;
      if (tg.t === 'RETURN') return false;
      if (tg.t === 'MARK') res.mark = f.mark = ((f.mark & ~tg.mask) ^ tg.value) >>> 0;
      if (tg.t === 'DNAT') {
        res.terminal = tg.port !== undefined ? { kind: 'DNAT', ip: tg.ip, port: tg.port } : { kind: 'DNAT', ip: tg.ip };
        res.rule = r;
        return true;
      }
      if (tg.t === 'ACCEPT' || tg.t === 'DROP') {
        res.terminal = { kind: tg.t };
        res.rule = r;
        return true;
      }
    }
    return false;
  };
  walk(chain, 0);
  f.mark = mark0;
  return res;
}

const host = (ip: Ipv4) => ({ cidr: new Cidr(ip, 32) });
const svcIp = (i: number) => (0x0a600000 + 1000 + i) >>> 0;
const podIp = (i: number) => (0x0af40000 + 256 + i) >>> 0;
const lbIp = (i: number) => (0xcb007100 + i) >>> 0;
const pods = Cidr.parse('10.244.0.0/16')!;

/** A kube-proxy-shaped nat table (KUBE-SERVICES long enough to be hash-indexed), plus rules that must not take the shortcuts. */
function table(): TableRules {
  const nat = emptyTable('nat');
  ensureChain(nat, 'KUBE-MARK-MASQ');
  addRule(nat, { chain: 'PREROUTING', matches: [], target: { t: 'jump', chain: 'KUBE-SERVICES' } });
  addRule(nat, { chain: 'KUBE-MARK-MASQ', matches: [], target: { t: 'MARK', value: 0x4000, mask: 0x4000 } });
  const l4 = (proto: 'tcp' | 'udp', dport: number, neg?: boolean): Match => ({ m: proto, dport, ...(neg ? { neg } : {}) });
  for (let i = 0; i < 60; i++) {
    const proto = i % 7 === 3 ? 'udp' : 'tcp';
    const svc = `KUBE-SVC-${i}`;
    ensureChain(nat, svc);
    // Odd ones out: a -p/-m protocol mismatch (never matches), a duplicate key (a run of two rules), a rule that also needs a mark.
    const m = i === 5 ? l4('udp', 80) : l4(proto, 80);
    addRule(nat, { chain: 'KUBE-SERVICES', d: host(svcIp(i)), p: proto, matches: [{ m: 'comment', text: `svc ${i}` }, m], target: { t: 'jump', chain: svc } });
    if (i === 9) addRule(nat, { chain: 'KUBE-SERVICES', d: host(svcIp(i)), p: proto, matches: [l4(proto, 80)], target: { t: 'jump', chain: 'KUBE-SVC-8' } });
    if (i === 12) addRule(nat, { chain: 'KUBE-SERVICES', d: host(svcIp(11)), p: proto, matches: [l4(proto, 80), { m: 'mark', value: 0x4000, mask: 0x4000 }], target: { t: 'DROP' } });
    addRule(nat, { chain: svc, s: { cidr: pods, neg: true }, d: host(svcIp(i)), p: proto, matches: [l4(proto, 80)], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
    // loadBalancerSourceRanges: the LB IP jumps to a KUBE-FW chain of `-s RANGE` rules ending in a
    // rule with no target, which must fall through (back to KUBE-SERVICES) like a comment.
    if (i % 10 === 3) {
      const fw = `KUBE-FW-${i}`;
      ensureChain(nat, fw);
      addRule(nat, { chain: 'KUBE-SERVICES', d: host(lbIp(i)), p: proto, matches: [{ m: 'comment', text: `lb ${i}` }, l4(proto, 80)], target: { t: 'jump', chain: fw } });
      addRule(nat, { chain: fw, s: { cidr: Cidr.parse('10.244.0.0/17')! }, matches: [{ m: 'comment', text: `lb ${i}` }], target: { t: 'jump', chain: svc } });
      addRule(nat, { chain: fw, s: { cidr: Cidr.parse('192.168.1.0/24')! }, matches: [{ m: 'comment', text: `lb ${i}` }], target: { t: 'jump', chain: svc } });
      addRule(nat, { chain: fw, matches: [{ m: 'comment', text: `other traffic to lb ${i}` }], target: { t: 'none' } });
    }
    // Fields that share a row slot in the compiled form (statistic with -s), and /24 and /0 prefixes.
    if (i % 10 === 7) addRule(nat, { chain: svc, s: { cidr: Cidr.parse('10.244.1.0/24')! }, matches: [{ m: 'statistic', probability: 0.5 }], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
    if (i % 10 === 8) addRule(nat, { chain: svc, s: { cidr: Cidr.parse('0.0.0.0/0')! }, d: { cidr: Cidr.parse('10.96.3.0/24')!, neg: true }, matches: [{ m: 'statistic', probability: 0.25 }], target: { t: 'RETURN' } });
    const n = 1 + (i % 5);
    for (let j = 0; j < n; j++) {
      const sep = `KUBE-SEP-${i}-${j}`;
      ensureChain(nat, sep);
      const stat: Match[] = j < n - 1 ? [{ m: 'statistic', probability: kubeProxyProbability(n - j) }] : [];
      addRule(nat, { chain: svc, matches: stat, target: { t: 'jump', chain: sep } });
      addRule(nat, { chain: sep, s: host(podIp(i * 8 + j)), matches: [], target: { t: 'jump', chain: 'KUBE-MARK-MASQ' } });
      // Statistic on the DNAT rule itself (its port shares the statistic's slot) and a negated --sport.
      const extra: Match[] = i % 11 === 4 ? [{ m: 'statistic', probability: 0.5 }] : i % 13 === 6 ? [{ m: proto, sport: 40000, neg: true }] : [{ m: proto }];
      // A DNAT rule with -d (its port shares the -d slot) on some Services.
      const d = i % 10 === 2 ? { d: { cidr: Cidr.parse(j % 2 ? '10.96.0.0/12' : '10.96.3.0/24')! } } : {};
      addRule(nat, { chain: sep, ...d, p: proto, matches: extra, target: { t: 'DNAT', ip: podIp(i * 8 + j), port: 8080 } });
    }
  }
  // NodePort-style "any destination" keys, then the catch-all that ends KUBE-SERVICES.
  for (let i = 0; i < 4; i++) addRule(nat, { chain: 'KUBE-SERVICES', p: 'tcp', matches: [l4('tcp', 30000 + i)], target: { t: 'jump', chain: `KUBE-SVC-${i}` } });
  addRule(nat, { chain: 'KUBE-SERVICES', p: 'tcp', matches: [l4('tcp', 80, true)], target: { t: 'RETURN' } });
  addRule(nat, { chain: 'KUBE-SERVICES', matches: [], target: { t: 'ACCEPT' } });
  return nat;
}

function packet(seed: number): PacketFacts {
  const h = (s: string) => mixedHash(`${seed}/${s}`);
  const f: PacketFacts = {
    src: h('src') % 3 === 0 ? 0xc0a80105 : podIp(h('pod') % 500),
    dst: h('dst') % 10 === 0 ? 0x08080808 : h('dst') % 10 === 1 ? lbIp(h('svc') % 64) : svcIp(h('svc') % 64),
    proto: h('proto') % 5 === 0 ? 'udp' : 'tcp',
    sport: 32768 + (h('sport') % 8000),
    dport: [80, 80, 80, 443, 30001, 30003][h('dport') % 6],
    mark: h('mark') % 4 === 0 ? 0x4000 : 0,
    ctstate: 'NEW',
    isLocal: () => false,
    isLocalOn: () => false,
    draw: (chain, index) => mixedHash(`${seed}/${chain}/${index}`) / 4294967296,
    recent: () => false,
    sets: { keys: () => undefined, nets: () => undefined },
  };
  if (h('sport') % 9 === 0) f.sport = 40000;
  return f;
}

describe('evaluateChain', () => {
  it('gives what walking the Rule objects one by one gives (path, rules checked, rule, terminal, mark)', () => {
    const nat = table();
    let dnat = 0;
    for (let seed = 0; seed < 3000; seed++) {
      const got = evaluateChain(nat, 'PREROUTING', packet(seed));
      expect(got).toEqual(reference(nat, 'PREROUTING', packet(seed)));
      if (got.terminal?.kind === 'DNAT') dnat++;
    }
    expect(dnat).toBeGreaterThan(1000);
  });

  it('falls through a rule with no target (KUBE-FW\'s last rule) and counts it as checked', () => {
    const nat = table();
    // Pod 10.244.1.5 is in the first range: KUBE-FW-13 → KUBE-SVC-13 → DNAT.
    const inside = evaluateChain(nat, 'PREROUTING', { ...packet(2), src: Cidr.parse('10.244.1.5/32')!.network, dst: lbIp(13), proto: 'tcp', dport: 80, mark: 0 });
    expect(inside.path.slice(0, 4)).toEqual(['PREROUTING', 'KUBE-SERVICES', 'KUBE-FW-13', 'KUBE-SVC-13']);
    expect(inside.terminal?.kind).toBe('DNAT');
    // 10.244.200.5 is outside both ranges: the comment-only rule matches, nothing happens, and the walk goes on in KUBE-SERVICES.
    const outside = evaluateChain(nat, 'PREROUTING', { ...packet(2), src: Cidr.parse('10.244.200.5/32')!.network, dst: lbIp(13), proto: 'tcp', dport: 80, mark: 0 });
    expect(outside.path).toEqual(['PREROUTING', 'KUBE-SERVICES', 'KUBE-FW-13']);
    expect(outside.terminal?.kind).toBe('ACCEPT');
    expect(outside).toEqual(reference(nat, 'PREROUTING', { ...packet(2), src: Cidr.parse('10.244.200.5/32')!.network, dst: lbIp(13), proto: 'tcp', dport: 80, mark: 0 }));
  });

  it('creates every result with its `rule` and `terminal` fields (undefined until a terminal rule sets them)', () => {
    // Not behaviour but speed: with the field there from the start, storing the cold Rule does
    // not make V8 read its hidden class (see evaluateChain). Values compare as before.
    const nat = table();
    // tcp to 8.8.8.8:22 takes KUBE-SERVICES' `! --dport 80 -j RETURN` and falls off PREROUTING.
    const fell = evaluateChain(nat, 'PREROUTING', { ...packet(1), proto: 'tcp', dst: 0x08080808, dport: 22 });
    expect(fell.terminal).toBeUndefined();
    expect(Object.keys(fell)).toContain('rule');
    expect(Object.keys(fell)).toContain('terminal');
    expect(fell.rule).toBeUndefined();
    const dnat = evaluateChain(nat, 'PREROUTING', { ...packet(1), proto: 'tcp', dst: svcIp(1), dport: 80 });
    expect(dnat.terminal?.kind).toBe('DNAT');
    expect(Object.keys(dnat).indexOf('rule')).toBe(Object.keys(fell).indexOf('rule'));
  });

  it('picks endpoints with the statistic probabilities xt_statistic keeps (31-bit fractions)', () => {
    const nat = emptyTable('nat');
    const p = kubeProxyProbability(3);
    addRule(nat, { chain: 'PREROUTING', matches: [{ m: 'statistic', probability: p }], target: { t: 'ACCEPT' } });
    const at = (draw: number) => evaluateChain(nat, 'PREROUTING', { ...packet(0), draw: () => draw }).terminal?.kind;
    // 0.3333333333 is kept as 715827883 / 2^31 = 0.33333333349...: a draw just under that still matches.
    expect(at(715827883 / 0x80000000 - 2 ** -40)).toBe('ACCEPT');
    expect(at(715827883 / 0x80000000)).toBeUndefined();
    nat.chains.get('PREROUTING')!.rules[0].matches = [{ m: 'statistic', probability: 1 }];
    nat.revision = (nat.revision ?? 0) + 1;
    expect(at(1 - 2 ** -53)).toBe('ACCEPT');
  });
});
