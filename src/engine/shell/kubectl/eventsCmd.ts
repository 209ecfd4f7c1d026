/**
 * `kubectl events [--for KIND/NAME] [--types Normal,Warning] [-n NS | -A]`: the newer events
 * command (k8s.io/kubectl/pkg/cmd/events), over the same Cluster.events as `kubectl get events`.
 */
import { fail, out, type Ctx, type Out } from '../types';
import { namespaceOf, str, type Parsed } from './args';
import { eventsCommand } from './events';
import { resolveResource } from './get';

/** The API kind of a `--for` resource word (decodeResourceTypeName through the REST mapper). */
const KIND: Record<string, string> = {
  pods: 'Pod', nodes: 'Node', namespaces: 'Namespace', services: 'Service', endpoints: 'Endpoints', endpointslices: 'EndpointSlice', configmaps: 'ConfigMap', secrets: 'Secret', deployments: 'Deployment', replicasets: 'ReplicaSet', daemonsets: 'DaemonSet', events: 'Event',
  networkpolicies: 'NetworkPolicy', ingresses: 'Ingress', ingressclasses: 'IngressClass',
};

export function cmdEvents(p: Parsed, ctx: Ctx): Out {
  const types = (p.all.types ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  // EventsOptions.Validate.
  if (types.some((t) => !['normal', 'warning'].includes(t.toLowerCase()))) return fail('error: valid --types are Normal or Warning');
  let forKind: string | undefined;
  let forName: string | undefined;
  const forWord = str(p.flags.for);
  if (forWord !== undefined) {
    const slash = forWord.indexOf('/');
    if (slash < 0) return fail(`error: --for must be in resource/name form`);
    const r = resolveResource(forWord.slice(0, slash));
    if (!r) return fail(`error: the server doesn't have a resource type "${forWord.slice(0, slash)}"`);
    forKind = KIND[r];
    forName = forWord.slice(slash + 1);
  }
  if (p.positional.length) return fail(`error: unknown command "${p.positional[0]}" for "kubectl events"`);
  const all = p.flags['all-namespaces'] === true;
  const r = eventsCommand(ctx.session.cluster, { namespace: all ? null : namespaceOf(p), types, ...(forKind ? { forKind, forName } : {}) });
  return out(r.stdout, r.stderr);
}
