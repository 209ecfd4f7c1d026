/**
 * The check vocabulary's decoder (docs/lessons.md, "Checks: one vocabulary"): a check is a
 * mapping with exactly one key naming its kind; each kind's fields have declared types. Also
 * decodes trace requests (`from`, `to`, `proto`, `port`, …) where steps and predictions name them.
 */
import type { TraceRequest } from '../trace/traceTypes';
import { compact, type Decoder, isMap, type Raw } from './decode';
import type { Path } from '../scenario/problems';
import { CHECK_KINDS, type Check, type Count, type HopPlace, type TraceExpect } from './types';

const VERDICTS = ['delivered', 'dropped', 'unreachable'] as const;
const PROTOS = ['icmp', 'tcp', 'udp'] as const;
const ENCAPS = ['vxlan', 'ipip', 'wireguard', 'geneve'] as const;
const DNS_TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT'] as const;

export function decodeCount(d: Decoder, v: Raw, path: Path, required = false): Count | undefined {
  if (isMap(v)) {
    const m = d.map(v, path, ['min', 'max']);
    if (!m) return undefined;
    return compact({ min: d.int(m.min, [...path, 'min']), max: d.int(m.max, [...path, 'max']) });
  }
  return d.int(v, path, required);
}

export function decodeTraceRequest(d: Decoder, v: Raw, path: Path): TraceRequest | undefined {
  const m = d.map(v, path, ['from', 'to', 'proto', 'port', 'size', 'df', 'ttl'], ['from', 'to']);
  if (!m) return undefined;
  const from = d.str(m.from, [...path, 'from']);
  const to = d.str(m.to, [...path, 'to']);
  if (from === undefined || to === undefined) return undefined;
  return compact({
    from,
    to,
    proto: d.oneOf(m.proto, [...path, 'proto'], PROTOS) ?? 'icmp',
    port: d.int(m.port, [...path, 'port'], false, 0),
    size: d.int(m.size, [...path, 'size'], false, 0),
    df: d.bool(m.df, [...path, 'df']),
    ttl: d.int(m.ttl, [...path, 'ttl'], false, 1),
  }) as TraceRequest;
}

function places(d: Decoder, v: Raw, path: Path): HopPlace | HopPlace[] | undefined {
  const one = (x: Raw, p: Path): HopPlace | undefined => {
    const m = d.map(x, p, ['node', 'device', 'netns']);
    if (!m) return undefined;
    if (m.node === undefined && m.device === undefined && m.netns === undefined) d.error(p, 'Required value: one of node, device, netns');
    return compact({ node: d.str(m.node, [...p, 'node']), device: d.str(m.device, [...p, 'device']), netns: d.str(m.netns, [...p, 'netns']) });
  };
  if (Array.isArray(v)) return v.map((x, i) => one(x, [...path, i])).filter((x): x is HopPlace => !!x);
  return one(v, path);
}

const EXPECT_FIELDS = ['verdict', 'crosses', 'avoids', 'encap', 'dnat', 'droppedBy', 'wireBytes'];

function traceExpect(d: Decoder, m: Record<string, unknown>, path: Path): TraceExpect {
  const at = (k: string): Path => [...path, k];
  let encap: TraceExpect['encap'];
  if (m.encap === false || m.encap === 'false') encap = false;
  else if (m.encap !== undefined) {
    const e = d.map(m.encap, at('encap'), ['type', 'vni'], ['type']);
    const type = e && d.oneOf(e.type, [...at('encap'), 'type'], ENCAPS);
    if (e && type) encap = compact({ type, vni: d.int(e.vni, [...at('encap'), 'vni'], false, 0) });
  }
  const dn = m.dnat !== undefined ? d.map(m.dnat, at('dnat'), ['chain', 'to']) : undefined;
  const db = m.droppedBy !== undefined ? d.map(m.droppedBy, at('droppedBy'), ['policy', 'hook']) : undefined;
  return compact({
    verdict: d.oneOf(m.verdict, at('verdict'), VERDICTS),
    crosses: m.crosses !== undefined ? places(d, m.crosses, at('crosses')) : undefined,
    avoids: m.avoids !== undefined ? places(d, m.avoids, at('avoids')) : undefined,
    encap,
    dnat: dn ? compact({ chain: d.str(dn.chain, [...at('dnat'), 'chain']), to: d.str(dn.to, [...at('dnat'), 'to']) }) : undefined,
    droppedBy: db ? compact({ policy: d.str(db.policy, [...at('droppedBy'), 'policy']), hook: d.str(db.hook, [...at('droppedBy'), 'hook']) }) : undefined,
    wireBytes: m.wireBytes !== undefined ? decodeCount(d, m.wireBytes, at('wireBytes')) : undefined,
  });
}

/** One check; undefined (with the problems recorded) when it does not decode. */
export function decodeCheck(d: Decoder, v: Raw, path: Path): Check | undefined {
  if (!isMap(v)) {
    d.error(path, `must be a mapping with one key, the check's kind (one of ${CHECK_KINDS.join(', ')})`);
    return undefined;
  }
  const keys = Object.keys(v);
  if (keys.length !== 1) {
    d.error(path, `a check has exactly one key, its kind (one of ${CHECK_KINDS.join(', ')}); found ${keys.length ? keys.join(', ') : 'none'}`);
    return undefined;
  }
  const kind = keys[0];
  const p: Path = [...path, kind];
  const body = v[kind];
  const at = (k: string): Path => [...p, k];
  switch (kind) {
    case 'all':
    case 'any': {
      const l = d.list(body, p, true);
      if (!l) return undefined;
      if (!l.length) d.error(p, 'Required value: at least one check');
      const cs = l.map((x, i) => decodeCheck(d, x, [...p, i]));
      return cs.every((c) => c) ? ({ [kind]: cs as Check[] } as Check) : undefined;
    }
    case 'not': {
      const c = decodeCheck(d, body, p);
      return c ? { not: c } : undefined;
    }
    case 'pod': {
      const m = d.map(body, p, ['name', 'node', 'ipIn', 'status', 'reason', 'exists', 'labels'], ['name']);
      if (!m) return undefined;
      const name = d.str(m.name, at('name'));
      if (name === undefined) return undefined;
      return { pod: compact({ name, node: d.str(m.node, at('node')), ipIn: cidr(d, m.ipIn, at('ipIn')), status: d.str(m.status, at('status')), reason: d.str(m.reason, at('reason')), exists: d.bool(m.exists, at('exists')), labels: d.labels(m.labels, at('labels')) }) };
    }
    case 'pods': {
      const m = d.map(body, p, ['namespace', 'selector', 'node', 'status', 'count'], ['count']);
      if (!m) return undefined;
      const count = decodeCount(d, m.count, at('count'), true);
      if (count === undefined) return undefined;
      return { pods: compact({ namespace: d.str(m.namespace, at('namespace')), selector: d.labels(m.selector, at('selector')), node: d.str(m.node, at('node')), status: d.str(m.status, at('status')), count }) };
    }
    case 'node': {
      const m = d.map(body, p, ['name', 'podCIDR', 'unschedulable', 'labels', 'taints'], ['name']);
      if (!m) return undefined;
      const name = d.str(m.name, at('name'));
      if (name === undefined) return undefined;
      return { node: compact({ name, podCIDR: cidr(d, m.podCIDR, at('podCIDR')), unschedulable: d.bool(m.unschedulable, at('unschedulable')), labels: d.labels(m.labels, at('labels')), taints: m.taints !== undefined ? d.strings(m.taints, at('taints'), true) : undefined }) };
    }
    case 'object': {
      const m = d.map(body, p, ['kind', 'name', 'namespace', 'exists', 'fields'], ['kind', 'name']);
      if (!m) return undefined;
      const k = d.str(m.kind, at('kind'));
      const name = d.str(m.name, at('name'));
      if (k === undefined || name === undefined) return undefined;
      const fields = m.fields === undefined ? undefined : isMap(m.fields) ? m.fields : (d.error(at('fields'), 'must be a mapping of dotted.path: value'), undefined);
      return { object: compact({ kind: k, name, namespace: d.str(m.namespace, at('namespace')), exists: d.bool(m.exists, at('exists')), fields }) };
    }
    case 'service': {
      const m = d.map(body, p, ['name', 'type', 'clusterIPIn', 'endpoints'], ['name']);
      if (!m) return undefined;
      const name = d.str(m.name, at('name'));
      if (name === undefined) return undefined;
      return { service: compact({ name, type: d.oneOf(m.type, at('type'), ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']), clusterIPIn: cidr(d, m.clusterIPIn, at('clusterIPIn')), endpoints: m.endpoints !== undefined ? decodeCount(d, m.endpoints, at('endpoints')) : undefined }) };
    }
    case 'event': {
      const m = d.map(body, p, ['reason', 'kind', 'name', 'type', 'messageIncludes'], ['reason']);
      if (!m) return undefined;
      const reason = d.str(m.reason, at('reason'));
      if (reason === undefined) return undefined;
      return { event: compact({ reason, kind: d.str(m.kind, at('kind')), name: d.str(m.name, at('name')), type: d.oneOf(m.type, at('type'), ['Normal', 'Warning'] as const), messageIncludes: d.str(m.messageIncludes, at('messageIncludes')) }) };
    }
    case 'trace': {
      const m = d.map(body, p, ['from', 'to', 'proto', 'port', 'size', 'df', 'last', 'reply', ...EXPECT_FIELDS]);
      if (!m) return undefined;
      const last = d.bool(m.last, at('last'));
      if (!last && (m.from === undefined || m.to === undefined)) d.error(p, 'Required value: a request (from, to) or last: true');
      if (last && (m.from !== undefined || m.to !== undefined)) d.error(at('last'), 'Invalid value: true: a trace check names a request (from, to) or uses the last trace, not both');
      const reply = m.reply === undefined ? undefined : d.map(m.reply, at('reply'), EXPECT_FIELDS);
      return {
        trace: compact({
          from: d.str(m.from, at('from')),
          to: d.str(m.to, at('to')),
          proto: d.oneOf(m.proto, at('proto'), PROTOS),
          port: d.int(m.port, at('port'), false, 0),
          size: d.int(m.size, at('size'), false, 0),
          df: d.bool(m.df, at('df')),
          last,
          ...traceExpect(d, m, p),
          reply: reply ? traceExpect(d, reply, at('reply')) : undefined,
        }),
      };
    }
    case 'policy': {
      const m = d.map(body, p, ['from', 'to', 'port', 'proto', 'allowed'], ['from', 'to', 'allowed']);
      if (!m) return undefined;
      const from = d.str(m.from, at('from'));
      const to = d.str(m.to, at('to'));
      const allowed = d.bool(m.allowed, at('allowed'));
      const proto = m.proto === undefined ? undefined : d.oneOf(String(m.proto).toUpperCase(), at('proto'), ['TCP', 'UDP', 'SCTP', 'ICMP'] as const);
      if (from === undefined || to === undefined || allowed === undefined) return undefined;
      return { policy: compact({ from, to, port: d.int(m.port, at('port'), false, 0), proto, allowed }) };
    }
    case 'dns': {
      const m = d.map(body, p, ['from', 'name', 'type', 'rcode', 'answerIncludes', 'answerCount'], ['from', 'name']);
      if (!m) return undefined;
      const from = d.str(m.from, at('from'));
      const name = d.str(m.name, at('name'));
      if (from === undefined || name === undefined) return undefined;
      const inc = m.answerIncludes === undefined ? undefined : d.strings(m.answerIncludes, at('answerIncludes'), true);
      return { dns: compact({ from, name, type: d.oneOf(m.type, at('type'), DNS_TYPES), rcode: d.str(m.rcode, at('rcode')), answerIncludes: inc, answerCount: m.answerCount !== undefined ? decodeCount(d, m.answerCount, at('answerCount')) : undefined }) };
    }
    case 'command': {
      const m = d.map(body, p, ['matches', 'status', 'stdoutIncludes', 'place', 'count'], ['matches']);
      if (!m) return undefined;
      const matches = d.str(m.matches, at('matches'));
      if (matches === undefined) return undefined;
      return { command: compact({ matches, status: d.int(m.status, at('status'), false, 0), stdoutIncludes: d.str(m.stdoutIncludes, at('stdoutIncludes')), place: d.str(m.place, at('place')), count: m.count !== undefined ? decodeCount(d, m.count, at('count')) : undefined }) };
    }
    case 'sysctl': {
      const m = d.map(body, p, ['node', 'key', 'value'], ['node', 'key', 'value']);
      if (!m) return undefined;
      const node = d.str(m.node, at('node'));
      const key = d.str(m.key, at('key'));
      const value = d.str(m.value, at('value'));
      return node !== undefined && key !== undefined && value !== undefined ? { sysctl: { node, key, value } } : undefined;
    }
    case 'answer': {
      const m = d.map(body, p, ['question'], ['question']);
      const question = m && d.str(m.question, at('question'));
      return question !== undefined && question !== null ? { answer: { question } } : undefined;
    }
    default:
      d.error(p, `Unsupported value: "${kind}": supported values: ${CHECK_KINDS.map((k) => `"${k}"`).join(', ')}`);
      return undefined;
  }
}

/** A CIDR field: `10.244.0.0/16`. */
function cidr(d: Decoder, v: Raw, path: Path): string | undefined {
  const s = d.str(v, path);
  if (s === undefined) return undefined;
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(s)) {
    d.error(path, `Invalid value: "${s}": must be a CIDR (a.b.c.d/n)`);
    return undefined;
  }
  return s;
}
