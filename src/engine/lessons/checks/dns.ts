/**
 * The `dns` check: the pod's own resolver asks CoreDNS, as `nslookup NAME` in the pod would: its
 * /etc/resolv.conf (podResolv: dnsPolicy, dnsConfig, search path, ndots), the search list in the
 * order glibc and bind's tools walk it (dns/searchList.ts), each query a traced packet through
 * the cluster (dns/exchange.ts) — so a policy that blocks port 53 makes the lookup time out, as
 * it does in the terminal. The first candidate name that has records of the type answers;
 * NXDOMAIN and NODATA move on to the next name.
 */
import type { Cluster } from '../../model/cluster';
import { exchange, newQuery, type ExchangeEnv } from '../../dns/exchange';
import { rdataText, reverseName, relative, type Response } from '../../dns/message';
import { formatResolvConf, parseResolvConf, podResolv } from '../../dns/resolvConf';
import { candidateNames } from '../../dns/searchList';
import { trace } from '../../trace/tracer';
import type { CheckResult, DnsCheck } from '../types';
import { countMatches, countText, failed, pass, splitName } from './cluster';

export interface DnsOutcome {
  /** NOERROR, NXDOMAIN, SERVFAIL, REFUSED …, or `timeout` when no server answered. */
  rcode: string;
  /** The records of the asked type (and CNAMEs leading to them), as dig prints their data. */
  answers: { name: string; type: string; data: string }[];
  /** The name that answered (after the search list). */
  name?: string;
  server?: string;
}

/** Resolve `name` from pod `key` with the pod's resolver; a string when the pod cannot ask. */
export function resolveFromPod(cluster: Cluster, key: string, name: string, type: DnsCheck['type'] = 'A'): DnsOutcome | string {
  const pod = cluster.pods.get(key);
  if (!pod) return `there is no pod ${key}`;
  const conf = parseResolvConf(formatResolvConf(podResolv(cluster, pod)));
  if (!conf.nameservers.length) return `pod ${key} has no nameserver in its resolv.conf`;
  const env: ExchangeEnv = { cluster, from: key, trace, record: () => {}, state: { sent: 0, logs: {} } };
  const qname = type === 'PTR' && /^\d+\.\d+\.\d+\.\d+$/.test(name) ? reverseName(name) : name;
  let last: DnsOutcome = { rcode: 'NXDOMAIN', answers: [] };
  for (const candidate of candidateNames(qname, conf.search, conf.ndots, 'glibc')) {
    let response: Response | undefined;
    let server = '';
    let why = 'timeout';
    for (const s of conf.nameservers) {
      const r = exchange(env, s, newQuery(env, candidate, type));
      server = s;
      if (r.kind === 'answer') {
        response = r.response;
        break;
      }
      why = r.kind === 'refused' ? 'REFUSED' : 'timeout';
    }
    if (!response) return { rcode: why, answers: [], server };
    const answers = response.answer.filter((rr) => rr.type === type || rr.type === 'CNAME').map((rr) => ({ name: relative(rr.name), type: rr.type, data: relative(rdataText(rr)) }));
    last = { rcode: response.rcode, answers, name: relative(candidate), server };
    if (response.rcode === 'NOERROR' && answers.some((a) => a.type === type)) return last;
    if (response.rcode !== 'NXDOMAIN' && response.rcode !== 'NOERROR') return last;
  }
  return last;
}

export function checkDns(c: DnsCheck, cluster: Cluster): CheckResult {
  const { namespace, name } = splitName(c.from);
  const key = `${namespace}/${name}`;
  const type = c.type ?? 'A';
  const q = `${type} ${c.name} from ${key}`;
  const r = resolveFromPod(cluster, key, c.name, type);
  if (typeof r === 'string') return failed('dns', `expected an answer to ${q}; ${r}`);
  const records = r.answers.filter((a) => a.type === type);
  const found = `${r.rcode}${records.length ? `, ${records.map((a) => a.data).join(', ')}` : ', no records'}${r.name ? ` (for ${r.name})` : ''}`;
  const problems: string[] = [];
  const wantRcode = c.rcode ?? (c.answerIncludes !== undefined || c.answerCount !== undefined ? 'NOERROR' : undefined);
  if (wantRcode !== undefined && r.rcode.toUpperCase() !== wantRcode.toUpperCase()) problems.push(`expected ${wantRcode}`);
  for (const inc of c.answerIncludes ?? []) if (!r.answers.some((a) => a.data === relative(inc) || a.data.includes(inc) || a.name === relative(inc))) problems.push(`expected an answer with ${inc}`);
  if (c.answerCount !== undefined && !countMatches(c.answerCount, records.length)) problems.push(`expected ${countText(c.answerCount)} ${type} records`);
  return problems.length ? failed('dns', `${q}: ${problems.join('; ')}; the resolver got ${found}`) : pass('dns', `${q}: ${found}`);
}
