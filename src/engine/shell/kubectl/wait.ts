/**
 * `kubectl wait --for=condition=C[=value] | --for=delete | --for=jsonpath='{…}'=V (KIND/NAME… | KIND
 * -l SELECTOR | KIND --all) [--timeout=30s]` (k8s.io/kubectl/pkg/cmd/wait): answered from the objects'
 * state now — the simulated cluster has already settled, so a condition that does not hold now
 * never will and the wait ends with kubectl's timeout error. Prints `kind/name condition met` per
 * object, in the order given.
 */
import type { Cluster, PodRec } from '../../model/cluster';
import { fail, out, type Ctx, type Out } from '../types';
import { getFlags, resourceArgs, str, type Parsed } from './args';
import { select, SINGULAR, type ResourceKind } from './get';
import { jsonpath } from './jsonpath';
import { podJson, nodeJson, namespaceJson } from './objects';
import type { Json } from './output';
import type { ObjectItem } from './services';

const OBJECT_NAMES: Partial<Record<ResourceKind, string>> = { pods: 'pods', nodes: 'nodes', namespaces: 'namespaces', deployments: 'deployments.apps', replicasets: 'replicasets.apps', daemonsets: 'daemonsets.apps', services: 'services' };

/** The object's status.conditions as the API returns them (type → status). */
function conditionsOf(cluster: Cluster, kind: ResourceKind, rec: unknown): Record<string, string> {
  let j: Json | undefined;
  if (kind === 'pods') j = podJson(cluster, rec as PodRec);
  else if (kind === 'nodes') j = nodeJson(cluster, rec as Parameters<typeof nodeJson>[1]);
  else if (kind === 'namespaces') j = namespaceJson(rec as Parameters<typeof namespaceJson>[0]);
  else j = (rec as ObjectItem).json();
  const conds = ((j as { status?: { conditions?: { type: string; status: string }[] } })?.status?.conditions ?? []) as { type: string; status: string }[];
  const out: Record<string, string> = {};
  for (const c of conds) out[c.type.toLowerCase()] = c.status;
  return out;
}

function jsonOf(cluster: Cluster, kind: ResourceKind, rec: unknown): Json {
  if (kind === 'pods') return podJson(cluster, rec as PodRec);
  if (kind === 'nodes') return nodeJson(cluster, rec as Parameters<typeof nodeJson>[1]);
  if (kind === 'namespaces') return namespaceJson(rec as Parameters<typeof namespaceJson>[0]);
  return (rec as ObjectItem).json();
}

/** `30s`, `1m`, `0` → seconds (Go's time.ParseDuration for the units kubectl users type). */
function parseTimeout(v: string): number | undefined {
  if (/^\d+$/.test(v)) return Number(v);
  const m = /^((?:\d+(?:\.\d+)?(?:h|m|s|ms))+)$/.exec(v);
  if (!m) return undefined;
  let s = 0;
  for (const [, n, u] of v.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) s += Number(n) * (u === 'h' ? 3600 : u === 'm' ? 60 : u === 's' ? 1 : 0.001);
  return s;
}

export function cmdWait(p: Parsed, ctx: Ctx): Out {
  const forFlag = str(p.flags.for);
  if (!forFlag) return fail(`error: --for must be set to one of the following values: 'delete', 'create', 'condition=condition-name[=condition-value]', or 'jsonpath={JSONPath expression}=[JSONPath value]'\nSee 'kubectl wait -h' for help and examples`);
  const timeoutText = str(p.flags.timeout) ?? '30s';
  if (parseTimeout(timeoutText) === undefined) return fail(`error: invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"\nSee 'kubectl wait -h' for help and examples`);
  const r = resourceArgs(p.positional, 'wait');
  if ('status' in r) return r;
  const f = getFlags(p);
  if (typeof f === 'string') return fail(f);
  const cluster = ctx.session.cluster;
  // The objects to wait on, in the order named (or listed by the selector / --all).
  const targets: { kind: ResourceKind; name: string; rec?: unknown }[] = [];
  const names = r.typed ?? r.kinds.flatMap((kind) => r.names.map((name) => ({ kind, name })));
  if (names.length) {
    for (const t of names) targets.push({ ...t, rec: select(cluster, t.kind, { ...f, selector: undefined }, [t.name]).items[0]?.rec });
  } else if (f.selector || p.flags.all === true) {
    for (const kind of r.kinds) for (const it of select(cluster, kind, f, []).items) targets.push({ kind, name: it.rec.meta.name, rec: it.rec });
    if (!targets.length) return fail('error: no matching resources found');
  } else return fail(`error: resource name may not be empty`);
  let stdout = '';
  for (const t of targets) {
    const label = `${SINGULAR[t.kind]}/${t.name}`;
    const resource = OBJECT_NAMES[t.kind] ?? t.kind;
    if (forFlag === 'delete') {
      // Already gone: kubectl reports it met at once.
      if (!t.rec) {
        stdout += `${label} condition met\n`;
        continue;
      }
      return out(stdout, `error: timed out waiting for the condition on ${resource}/${t.name}\n`, 1);
    }
    if (!t.rec) return out(stdout, `Error from server (NotFound): ${resource} "${t.name}" not found\n`, 1);
    let met: boolean;
    if (forFlag === 'create') met = true;
    else if (forFlag.toLowerCase().startsWith('condition=')) {
      const [cond, want = 'true'] = forFlag.slice('condition='.length).split('=');
      met = (conditionsOf(cluster, t.kind, t.rec)[cond.toLowerCase()] ?? '').toLowerCase() === want.toLowerCase();
    } else if (forFlag.startsWith('jsonpath=')) {
      const m = /^jsonpath=(.*\})(?:=(.*))?$/.exec(forFlag) ?? /^jsonpath=(.*)=(.*)$/.exec(forFlag);
      const expr = m ? m[1] : forFlag.slice(9);
      const jp = jsonpath(expr.startsWith('{') ? expr : `{${expr}}`, jsonOf(cluster, t.kind, t.rec));
      if (!jp.ok) return fail(jp.error);
      met = m?.[2] === undefined ? jp.text !== '' : jp.text === m[2].replace(/^['"]|['"]$/g, '');
    } else return fail(`error: unrecognized condition: "${forFlag}"`);
    if (!met) return out(stdout, `error: timed out waiting for the condition on ${resource}/${t.name}\n`, 1);
    stdout += `${label} condition met\n`;
  }
  return out(stdout);
}
