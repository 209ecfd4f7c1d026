/**
 * CiliumNetworkPolicy L7 HTTP rules, as Cilium's Envoy enforces them (cilium.l7policy filter):
 * when an L3/L4 rule that allows a connection carries `toPorts[].rules.http`, the eBPF program
 * redirects the connection to the node's proxy, which checks every request against the rules:
 * - `method` and `path` are extended POSIX regular expressions matched against the whole
 *   method / path (Envoy header matchers with safe_regex: a full match, so `/public` does not
 *   match `/public/x`; write `/public.*`); a missing field matches anything;
 * - `headers` entries are `Name` (present) or `Name: value` (equal; names case-insensitive);
 * - a request passes when one rule of the allowing L4 rules matches; several L4 rules on the
 *   same port merge their L7 rules, and an L4 rule without L7 rules on that port allows every
 *   request (docs.cilium.io "Layer 7 Examples").
 * A denied request gets Envoy's local reply `403 Forbidden` with the body `Access denied\r\n`
 * (cilium/cilium#2549 "Add Access denied\r\n body to 403 error responses"; #3430 made the text
 * configurable, default "Access denied"), headers as Envoy's HTTP/1.1 codec writes them.
 *
 * The proxy listens on a port the agent allocates from --proxy-portrange-min/max, 10000–20000
 * by default (pkg/proxy); ours is a stable hash of the redirect (endpoint, direction, port).
 */
import { httpDate, type HttpResponse } from '../apps/http';
import { parseIpv4 } from '../addressing/ipv4';
import type { Cluster, PodRec } from '../model/cluster';
import { fnv32a } from '../util/hash';
import { compileRe2, type Regex } from '../util/regex';
import { enforcementOf } from './enforcement';
import { ruleMatches } from './evaluate';
import { policyIndexOf, type Endpoint, type PolicyIndex } from './policyIndex';
import type { Direction, HttpRule, Policy } from './types';

export const PROXY_PORT_RANGE = [10000, 20000] as const;
export const ACCESS_DENIED_BODY = 'Access denied\r\n';

export interface HttpRequestLine {
  method: string;
  /** Path with query, as on the request line. */
  path: string;
  /** Request headers (name → value), e.g. Host, User-Agent. */
  headers?: Record<string, string>;
}

export interface ProxyHop {
  direction: Direction;
  subject: PodRec;
  policy: Policy;
  proxyPort: number;
  /** The L7 rule that allowed the request (absent: denied, or an L4-only rule on the port allows all). */
  allowedBy?: HttpRule;
  allowed: boolean;
}

export interface HttpVerdict {
  /** The connection goes through Cilium's proxy (some allowing rule has L7 rules). */
  proxied: boolean;
  allowed: boolean;
  /** Egress (client side) first, then ingress (server side). */
  hops: ProxyHop[];
}

/** The L7 proxy port of one redirect: endpoint, direction, protocol and port. */
export function proxyPortOf(endpointId: number | undefined, direction: Direction, port: number): number {
  const span = PROXY_PORT_RANGE[1] - PROXY_PORT_RANGE[0] + 1;
  return PROXY_PORT_RANGE[0] + (fnv32a(`${endpointId ?? 0}:${direction.toLowerCase()}:TCP:${port}`) % span);
}

/** Compiled rule expressions by source (a policy's few patterns are matched on every request). */
const compiled = new Map<string, Regex | null>();

/**
 * A Cilium `path`/`method`: RE2 syntax, matched against the whole value as Envoy's
 * `safe_regex` header matcher does (RE2::FullMatch), in time linear in the value. The agent
 * checks the pattern with Go's regexp.Compile (PortRuleHTTP.Sanitize, pkg/policy/api/http.go)
 * and does not import a rule it refuses: such a pattern allows nothing here.
 */
function fullMatch(pattern: string | undefined, value: string): boolean {
  if (pattern === undefined || pattern === '') return true;
  let re = compiled.get(pattern);
  if (re === undefined) {
    const r = compileRe2(pattern);
    re = r.ok ? r.regex : null;
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re !== null && re.fullMatch(value);
}

function headerMatches(spec: string, headers: Record<string, string>): boolean {
  const i = spec.indexOf(':');
  const name = (i < 0 ? spec : spec.slice(0, i)).trim().toLowerCase();
  const want = i < 0 ? undefined : spec.slice(i + 1).trim();
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  if (!entry) return false;
  return want === undefined || entry[1] === want;
}

export function httpRuleMatches(rule: HttpRule, req: HttpRequestLine): boolean {
  const pathOnly = req.path;
  return fullMatch(rule.method, req.method) && fullMatch(rule.path, pathOnly) && (rule.headers ?? []).every((h) => headerMatches(h, req.headers ?? {}));
}

/** `GET /public.*` as the trace and explain print an L7 rule. */
export function httpRuleText(r: HttpRule): string {
  return `${r.method ?? '*'} ${r.path ?? '/*'}${r.headers?.length ? ` [${r.headers.join(', ')}]` : ''}`;
}

/** One side's proxy decision, or undefined when no allowing rule of that side carries L7 rules. */
function sideProxy(idx: PolicyIndex, dir: Direction, subject: PodRec, other: Endpoint, port: number, req: HttpRequestLine): ProxyHop | undefined {
  const dstPod = dir === 'Ingress' ? subject : other.kind === 'pod' ? other.pod : undefined;
  let l4Only = false;
  const l7: { policy: Policy; rule: HttpRule }[] = [];
  let first: Policy | undefined;
  for (const policy of idx.selecting(subject, dir)) {
    for (const rule of dir === 'Ingress' ? policy.ingress : policy.egress) {
      if (!ruleMatches(idx, policy, rule, other, subject, 'TCP', port, dstPod)) continue;
      if (!rule.http) l4Only = true;
      else {
        first ??= policy;
        for (const h of rule.http) l7.push({ policy, rule: h });
      }
    }
  }
  if (!first) return undefined;
  const proxyPort = proxyPortOf(subject.attachment?.endpointId, dir, port);
  const hit = l7.find((x) => httpRuleMatches(x.rule, req));
  if (hit) return { direction: dir, subject, policy: hit.policy, proxyPort, allowedBy: hit.rule, allowed: true };
  return { direction: dir, subject, policy: first, proxyPort, allowed: l4Only };
}

/**
 * The proxy's verdict on one HTTP request from `from` (a pod, or the client's address as the
 * server sees it) to `to` on `port`. Only on Cilium; elsewhere (and without L7 rules) the
 * request is not proxied and always allowed here (L3/L4 policy decided the connection).
 */
export function httpVerdict(cluster: Cluster, from: PodRec | string, to: PodRec, port: number, method: string, path: string, headers?: Record<string, string>): HttpVerdict {
  const none: HttpVerdict = { proxied: false, allowed: true, hops: [] };
  if (enforcementOf(cluster).enforcer !== 'cilium-ebpf') return none;
  const idx = policyIndexOf(cluster);
  if (!idx.policies.some((p) => [...p.ingress, ...p.egress].some((r) => r.http))) return none;
  const req: HttpRequestLine = { method, path, ...(headers ? { headers } : {}) };
  const src: Endpoint = typeof from === 'string' ? idx.endpointOfIp(parseIpv4(from) ?? 0) : idx.podEndpoint(from);
  const dst = idx.podEndpoint(to);
  const hops: ProxyHop[] = [];
  if (src.kind === 'pod' && src.pod !== to) {
    const e = sideProxy(idx, 'Egress', src.pod, dst, port, req);
    if (e) hops.push(e);
  }
  if (!(src.kind === 'pod' && src.pod === to) && !(src.kind === 'node' && src.node.meta.name === to.nodeName)) {
    const i = sideProxy(idx, 'Ingress', to, src, port, req);
    if (i) hops.push(i);
  }
  return { proxied: hops.length > 0, allowed: hops.every((h) => h.allowed), hops };
}

/** Envoy's local reply for a request the policy denies (cilium.l7policy). */
export function accessDeniedResponse(now: number): HttpResponse {
  return {
    status: 403,
    reason: 'Forbidden',
    headers: [
      ['content-length', String(ACCESS_DENIED_BODY.length)],
      ['content-type', 'text/plain'],
      ['date', httpDate(now)],
      ['server', 'envoy'],
    ],
    body: ACCESS_DENIED_BODY,
  };
}
