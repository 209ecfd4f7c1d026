/**
 * `kubectl apply -f FILE|-`: the manifests go through the engine's apply (validation and
 * allocation as the API server does them); prints `kind.group/name created|configured|unchanged`.
 */
import { fail, out, type Ctx, type Out } from '../types';
import { str, type Parsed } from './args';

export function cmdApply(p: Parsed, ctx: Ctx): Out {
  const file = str(p.flags.filename);
  if (!file) return fail("error: must specify one of -f and -k\n\nSee 'kubectl apply -h' for help and examples");
  const content = file === '-' ? ctx.stdin : ctx.session.options.readFile?.(file);
  if (content === undefined) return fail(`error: the path "${file}" does not exist`);
  const apply = ctx.session.options.ops?.applyManifests?.(ctx.session.cluster, content, file);
  if (!apply) return fail('error: this simulator session cannot apply manifests');
  if (!apply.ok) return fail(apply.error);
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

/** `deployment.apps`, `networkpolicy.networking.k8s.io`, `service` — as `kubectl apply` prints. */
export function resourceName(kind: string): string {
  const group = KIND_GROUPS[kind];
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}
