/**
 * `kubectl apply -f FILE|-`: the manifests go through the engine's apply (validation and
 * allocation as the API server does them); prints `kind.group/name created|configured|unchanged`.
 */
import { fail, out, type Ctx, type Out } from '../types';
import { str, type Parsed } from './args';

/** `apply -f` (created|configured|unchanged) and `create -f` (created; an existing object is AlreadyExists). */
export function cmdApply(p: Parsed, ctx: Ctx, verb: 'apply' | 'create' = 'apply'): Out {
  const file = str(p.flags.filename);
  if (!file) return fail(`error: must specify one of -f and -k\n\nSee 'kubectl ${verb} -h' for help and examples`);
  const content = file === '-' ? ctx.stdin : ctx.session.options.readFile?.(file);
  if (content === undefined) return fail(`error: the path "${file}" does not exist`);
  const apply = ctx.session.options.ops?.applyManifests?.(ctx.session.cluster, content, file);
  if (!apply) return fail('error: this simulator session cannot apply manifests');
  if (!apply.ok) return fail(apply.error);
  // apply.go / create.go: a file with no objects in it (empty, only comments, /dev/null).
  if (!apply.results.length) return fail(`error: no objects passed to ${verb}`);
  if (verb === 'create') {
    const existing = apply.results.filter((r) => r.action !== 'created');
    if (existing.length) {
      // The API server refuses each object that exists and creates the others. When the existing
      // ones are unchanged the apply did exactly that; otherwise nothing is changed (podpath cannot
      // apply part of a file) and only the refusals are printed.
      const clean = existing.every((r) => r.action === 'unchanged');
      const created = clean ? apply.results.filter((r) => r.action === 'created') : [];
      if (clean) ctx.session.cluster = apply.cluster;
      const errs = existing.map((r) => `Error from server (AlreadyExists): error when creating "${file === '-' ? 'STDIN' : file}": ${plural(r.kind)} "${r.name}" already exists`).join('\n');
      return out(created.map((r) => `${resourceName(r.kind)}/${r.name} created\n`).join(''), errs + '\n', 1);
    }
  }
  ctx.session.cluster = apply.cluster;
  return out(apply.results.map((r) => `${resourceName(r.kind)}/${r.name} ${r.action}\n`).join(''));
}


/** API groups of the kinds a scenario holds: kubectl names an object `resource.group/name` (core kinds have no group). */
const KIND_GROUPS: Record<string, string> = {
  Deployment: 'apps',
  ReplicaSet: 'apps',
  DaemonSet: 'apps',
  StatefulSet: 'apps',
  NetworkPolicy: 'networking.k8s.io',
  Ingress: 'networking.k8s.io',
  IngressClass: 'networking.k8s.io',
  EndpointSlice: 'discovery.k8s.io',
  CiliumNetworkPolicy: 'cilium.io',
};

/** The API resource (`deployments.apps`, `services`) in the API server's messages. */
export function plural(kind: string): string {
  const group = KIND_GROUPS[kind];
  const lower = kind.toLowerCase();
  const many = lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : lower.endsWith('s') ? lower : `${lower}s`;
  return group ? `${many}.${group}` : many;
}

/** `deployment.apps`, `networkpolicy.networking.k8s.io`, `service` — as `kubectl apply` prints. */
export function resourceName(kind: string): string {
  const group = KIND_GROUPS[kind];
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}
