/**
 * `kubectl scale deployment|replicaset NAME --replicas=N [--current-replicas=M]` (and KIND/NAME,
 * -l): the engine's scaleWorkload (the ReplicaSet controller adds or removes pods at once).
 * Prints `deployment.apps/web scaled`; a DaemonSet is kubectl's "no scaler" error.
 */
import { fail, out, type Ctx, type Out } from '../types';
import { apiError, getFlags, namespaceOf, resourceArgs, str, type Parsed } from './args';
import { select, SINGULAR } from './get';
import { listWorkloads } from './workloads';

export function cmdScale(p: Parsed, ctx: Ctx): Out {
  const replicasText = str(p.flags.replicas);
  if (replicasText === undefined) return fail(`error: required flag(s) "replicas" not set`);
  if (!/^-?\d+$/.test(replicasText)) return fail(`error: invalid argument "${replicasText}" for "--replicas" flag: strconv.ParseInt: parsing "${replicasText}": invalid syntax\nSee 'kubectl scale -h' for help and examples`);
  const replicas = Number(replicasText);
  if (replicas < 0) return fail(`error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0`);
  const r = resourceArgs(p.positional, 'scale');
  if ('status' in r) return r;
  const f = getFlags(p);
  if (typeof f === 'string') return fail(f);
  const ns = namespaceOf(p);
  const targets = r.typed ?? (r.names.length ? r.kinds.flatMap((kind) => r.names.map((name) => ({ kind, name }))) : r.kinds.flatMap((kind) => select(ctx.session.cluster, kind, f, []).items.map((it) => ({ kind, name: it.rec.meta.name }))));
  if (!targets.length) return fail('error: no objects passed to scale');
  let stdout = '';
  let stderr = '';
  let status = 0;
  for (const t of targets) {
    if (t.kind === 'daemonsets') return out(stdout, stderr + `error: no scaler has been implemented for {"apps" "DaemonSet"}\n`, 1);
    if (t.kind !== 'deployments' && t.kind !== 'replicasets') return out(stdout, stderr + `error: no scaler has been implemented for {"" "${SINGULAR[t.kind].replace(/^./, (c) => c.toUpperCase())}"}\n`, 1);
    const current = listWorkloads(ctx.session.cluster, t.kind, ns).find((w) => w.name === t.name);
    if (!current) {
      stderr += `Error from server (NotFound): ${t.kind}.apps "${t.name}" not found\n`;
      status = 1;
      continue;
    }
    const expected = str(p.flags['current-replicas']);
    const spec = ((current.json() as { spec?: { replicas?: number } }).spec?.replicas ?? 0);
    if (expected !== undefined && expected !== '-1' && Number(expected) !== spec) return out(stdout, stderr + `error: Expected replicas to be ${expected}, was ${spec}\n`, 1);
    const res = ctx.session.options.ops?.scaleWorkload?.(ctx.session.cluster, ns, t.name, replicas);
    if (!res) return fail('error: this simulator session cannot scale workloads');
    if (!res.ok) {
      stderr += apiError(res.error) + '\n';
      status = 1;
      continue;
    }
    ctx.session.cluster = res.cluster;
    stdout += `${SINGULAR[t.kind]}/${t.name} scaled\n`;
  }
  return out(stdout, stderr, status);
}
