/**
 * `kubectl delete KIND NAME…` (pods, namespaces, deployments, replicasets, daemonsets, services,
 * configmaps, endpoints), `KIND/NAME`, `-l SELECTOR`, `--field-selector`, `--all`, `-f FILE` (pods): through the engine
 * (a controller's pod comes back under a new name; a namespace takes everything in it); prints
 * `kind "name" deleted` per object as kubectl does.
 */
import { findPod } from '../files';
import { fail, out, type Ctx, type OpResult, type Out } from '../types';
import { apiError, getFlags, namespaceOf, resourceArgs, str, type Parsed } from './args';
import { byFields, select, SINGULAR, type ResourceKind } from './get';
import { kubectlNetpol } from './netpol';

export function cmdDelete(p: Parsed, ctx: Ctx): Out {
  const netpol = kubectlNetpol('delete', p, ctx);
  if (netpol) return netpol;
  const ns = namespaceOf(p);
  const file = str(p.flags.filename);
  const targets: { ns: string; name: string }[] = [];
  if (file) {
    const content = file === '-' ? ctx.stdin : ctx.session.options.readFile?.(file);
    if (content === undefined) return fail(`error: the path "${file}" does not exist`);
    for (const m of content.matchAll(/kind:\s*Pod\b[\s\S]*?metadata:\s*\n((?:[ \t]+.*\n?)*)/g)) {
      const nm = /^\s+name:\s*(\S+)/m.exec(m[1]);
      const nsm = /^\s+namespace:\s*(\S+)/m.exec(m[1]);
      if (nm) targets.push({ ns: nsm?.[1] ?? ns, name: nm[1] });
    }
    return deleteAll(ctx, targets.map((t) => ({ kind: 'pods' as ResourceKind, ns: t.ns, name: t.name })));
  }
  const r = resourceArgs(p.positional, 'delete');
  if ('status' in r) return r;
  const selector = str(p.flags.selector);
  const all = p.flags.all === true;
  const list: Target[] = [];
  if (r.typed) for (const t of r.typed) list.push({ kind: t.kind, ns, name: t.name });
  else if (r.names.length) for (const k of r.kinds) for (const name of r.names) list.push({ kind: k, ns, name });
  else if (selector !== undefined || all || str(p.flags['field-selector']) !== undefined) {
    const f = getFlags(p);
    if (typeof f === 'string') return fail(f);
    for (const k of r.kinds) {
      // --field-selector narrows like `get` (kubectl delete builds the same list request).
      const kept = byFields(ctx.session.cluster, k, select(ctx.session.cluster, k, f, []).items, f);
      if (typeof kept === 'string') return fail(kept);
      for (const it of kept) list.push({ kind: k, ns: it.rec.meta.namespace ?? ns, name: it.rec.meta.name });
    }
    if (!list.length) return out('', `No resources found\n`);
  } else return fail(`error: resource(s) were provided, but no name was specified`);
  return deleteAll(ctx, list);
}

interface Target {
  kind: ResourceKind;
  ns: string;
  name: string;
}

/** Engine kinds of the objects kept whole. */
const OBJECT_KINDS: Partial<Record<ResourceKind, string>> = { services: 'Service', configmaps: 'ConfigMap', secrets: 'Secret', endpoints: 'Endpoints', endpointslices: 'EndpointSlice' };
const WORKLOAD_KINDS: Partial<Record<ResourceKind, 'Deployment' | 'ReplicaSet' | 'DaemonSet'>> = { deployments: 'Deployment', replicasets: 'ReplicaSet', daemonsets: 'DaemonSet' };

function deleteOne(ctx: Ctx, t: Target): OpResult | undefined {
  const ops = ctx.session.options.ops;
  const c = ctx.session.cluster;
  if (t.kind === 'pods') {
    if (!findPod(c, t.ns, t.name)) return { ok: false, error: `Error from server (NotFound): pods "${t.name}" not found` };
    return ops?.deletePod?.(c, t.ns, t.name);
  }
  if (t.kind === 'namespaces') return ops?.deleteNamespace?.(c, t.name);
  const w = WORKLOAD_KINDS[t.kind];
  if (w) return ops?.deleteWorkload?.(c, w, t.ns, t.name);
  const o = OBJECT_KINDS[t.kind];
  if (o) return ops?.deleteObject?.(c, o, t.ns, t.name);
  return { ok: false, error: `Error from server (MethodNotAllowed): the server does not allow this method on the requested resource` };
}

/** Delete in order; kubectl prints `kind "name" deleted` per object and the API server's error for the rest. */
function deleteAll(ctx: Ctx, targets: Target[]): Out {
  let stdout = '';
  let stderr = '';
  let status = 0;
  for (const t of targets) {
    const r = deleteOne(ctx, t);
    if (!r) return fail('error: this simulator session cannot delete objects');
    if (!r.ok) {
      stderr += apiError(r.error) + '\n';
      status = 1;
      continue;
    }
    ctx.session.cluster = r.cluster;
    stdout += `${SINGULAR[t.kind]} "${t.name}" deleted\n`;
  }
  return out(stdout, stderr, status);
}
