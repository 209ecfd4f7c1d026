/**
 * `kubectl`: the global flags (anywhere, before the verb too: `kubectl -n kube-system get pods`,
 * `--context`), then the verb's own module. Each verb lives in its own file and reads the flags
 * it knows from the shared parse (args.ts). Errors are kubectl's own words.
 */
import { fail, out, type Handler, type Out } from '../types';
import { parseArgs, str, type Parsed, type Verb } from './args';
import { cmdApply } from './apply';
import { cmdClusterInfo } from './clusterInfo';
import { cmdCreate } from './create';
import { cmdDebug } from './debug';
import { cmdDelete } from './delete';
import { cmdDescribe } from './describe';
import { cmdExec } from './exec';
import { cmdExplain } from './explain';
import { cmdExpose } from './expose';
import { cmdGet } from './get';
import { KUBECTL_HELP } from './help';
import { kubectlLogs } from './logs';
import { cmdAnnotate, cmdLabel } from './label';
import { cmdDrain, cordonVerb } from './drain';
import { cmdRollout } from './rollout';
import { cmdPatch } from './patch';
import { cmdSet } from './set';
import { cmdEdit } from './edit';
import { cmdEvents } from './eventsCmd';
import { cmdPortForward } from './portForward';
import { cmdRun } from './run';
import { cmdScale } from './scale';
import { cmdWait } from './wait';

/** The kubeconfig's only context (kubeadm's admin.conf names it so). */
export const CONTEXT = 'kubernetes-admin@kubernetes';

const VERBS: Record<string, Verb> = {
  get: cmdGet,
  describe: cmdDescribe,
  logs: (_p, ctx, rest) => kubectlLogs(rest, ctx),
  exec: cmdExec,
  run: cmdRun,
  delete: cmdDelete,
  apply: (p, ctx) => cmdApply(p, ctx),
  create: cmdCreate,
  debug: cmdDebug,
  wait: cmdWait,
  explain: cmdExplain,
  'port-forward': cmdPortForward,
  // kubeadm installs no metrics-server, so the metrics.k8s.io API is not served (top_pod.go / top_node.go).
  top: (p) => (p.positional[0] && /^(po|pods?|no|nodes?)$/.test(p.positional[0]) ? fail('error: Metrics API not available') : fail(`error: unknown command "${p.positional[0] ?? ''}" for "kubectl top"\nRun 'kubectl top --help' for usage.`)),
  label: cmdLabel,
  annotate: cmdAnnotate,
  scale: cmdScale,
  patch: cmdPatch,
  set: cmdSet,
  edit: cmdEdit,
  events: cmdEvents,
  rollout: cmdRollout,
  cordon: cordonVerb(true),
  uncordon: cordonVerb(false),
  drain: cmdDrain,
  expose: (p, ctx) => cmdExpose(p.positional, p.flags, ctx),
  'cluster-info': cmdClusterInfo,
  version: (_p, ctx) => out(`Client Version: ${ctx.session.cluster.config.kubernetesVersion}\nKustomize Version: v5.4.2\nServer Version: ${ctx.session.cluster.config.kubernetesVersion}\n`),
  'api-resources': () =>
    out('NAME         SHORTNAMES   APIVERSION   NAMESPACED   KIND\nnamespaces   ns           v1           false        Namespace\nnodes        no           v1           false        Node\npods         po           v1           true         Pod\n'),
};

/** `--context NAME`: the kubeconfig has one context; another name is kubectl's configuration error. */
function checkContext(p: Parsed): Out | undefined {
  const c = str(p.flags.context);
  if (c !== undefined && c !== '' && c !== CONTEXT) return fail(`error: context was not found for specified context: ${c}`);
  return undefined;
}

export const kubectl: Handler = (args, ctx) => {
  const p = parseArgs(args);
  if (typeof p === 'string') return fail(p);
  const verb = p.positional.shift();
  if (verb === undefined) return out(KUBECTL_HELP);
  const handler = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!handler) return fail(`error: unknown command "${verb}" for "kubectl"\nRun 'kubectl --help' for usage.`);
  const bad = checkContext(p);
  if (bad) return bad;
  // The verb's own words: everything but the verb (logs parses them itself).
  const rest = [...args.slice(0, p.verbIndex), ...args.slice(p.verbIndex + 1)];
  return handler(p, ctx, rest);
};

export { resourceName } from './apply';
