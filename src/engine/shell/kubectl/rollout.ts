/**
 * `kubectl rollout restart|status|history deployment|daemonset NAME` (k8s.io/kubectl/pkg/cmd/rollout,
 * polymorphichelpers/rollout_status.go and history.go). restart goes through the engine
 * (rolloutRestart: the template's restartedAt annotation, a new ReplicaSet, pods replaced); status
 * reads the workload now — the simulated cluster has settled, so an unfinished rollout stays so
 * and the wait ends with kubectl's timeout; history lists the Deployment's ReplicaSets as revisions.
 */
import { tabwrite } from '../tabwriter';
import { fail, out, type Ctx, type Out } from '../types';
import { apiError, namespaceOf, resourceArgs, type Parsed } from './args';
import { SINGULAR, type ResourceKind } from './get';
import { listWorkloads, replicaSetsOf } from './workloads';

const SUBS = ['history', 'pause', 'restart', 'resume', 'status', 'undo'];

function target(p: Parsed, sub: string): { kind: ResourceKind; name: string } | Out {
  const r = resourceArgs(p.positional.slice(1), `rollout ${sub}`);
  if ('status' in r) return r;
  const t = r.typed?.[0] ?? (r.names[0] !== undefined ? { kind: r.kinds[0], name: r.names[0] } : undefined);
  if (!t) return fail(`error: required resource not specified\nSee 'kubectl rollout ${sub} -h' for help and examples`);
  if (t.kind !== 'deployments' && t.kind !== 'daemonsets') return fail(`error: no ${sub === 'history' ? 'history viewer' : sub === 'status' ? 'status viewer' : 'restarter'} has been implemented for ${t.kind === 'replicasets' ? '"apps/v1, Kind=ReplicaSet"' : `"${t.kind}"`}`);
  return t;
}

export function cmdRollout(p: Parsed, ctx: Ctx): Out {
  const sub = p.positional[0];
  if (!sub || !SUBS.includes(sub)) {
    return out(
      `Manage the rollout of one or many resources.\n\n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n  *  statefulsets\n\nExamples:\n  # Rollback to the previous deployment\n  kubectl rollout undo deployment/abc\n\n  # Check the rollout status of a daemonset\n  kubectl rollout status daemonset/foo\n\n  # Restart a deployment\n  kubectl rollout restart deployment/abc\n\nAvailable Commands:\n  history       View rollout history\n  pause         Mark the provided resource as paused\n  restart       Restart a resource\n  resume        Resume a paused resource\n  status        Show the status of the rollout\n  undo          Undo a previous rollout\n\nUsage:\n  kubectl rollout SUBCOMMAND [options]\n\nUse "kubectl rollout <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`,
    );
  }
  const t = target(p, sub);
  if ('status' in t) return t;
  const ns = namespaceOf(p);
  const kind = t.kind as 'deployments' | 'daemonsets';
  const item = listWorkloads(ctx.session.cluster, kind, ns).find((w) => w.name === t.name);
  if (!item) return fail(`Error from server (NotFound): ${kind}.apps "${t.name}" not found`);
  const label = `${SINGULAR[kind]}/${t.name}`;
  if (sub === 'restart') {
    const res = ctx.session.options.ops?.rolloutRestart?.(ctx.session.cluster, kind === 'deployments' ? 'Deployment' : 'DaemonSet', ns, t.name);
    if (!res) return fail('error: this simulator session cannot restart workloads');
    if (!res.ok) return fail(apiError(res.error));
    ctx.session.cluster = res.cluster;
    return out(`${label} restarted\n`);
  }
  if (sub === 'status') {
    const j = item.json() as { spec?: { replicas?: number }; status?: Record<string, number> };
    const st = j.status ?? {};
    if (kind === 'deployments') {
      const want = j.spec?.replicas ?? 1;
      const updated = st.updatedReplicas ?? 0;
      const available = st.availableReplicas ?? 0;
      const total = st.replicas ?? 0;
      // rollout_status.go DeploymentStatusViewer.Status, in its order of checks.
      let waiting: string | undefined;
      if (updated < want) waiting = `Waiting for deployment "${t.name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`;
      else if (total > updated) waiting = `Waiting for deployment "${t.name}" rollout to finish: ${total - updated} old replicas are pending termination...\n`;
      else if (available < updated) waiting = `Waiting for deployment "${t.name}" rollout to finish: ${available} of ${updated} updated replicas are available...\n`;
      if (!waiting) return out(`deployment "${t.name}" successfully rolled out\n`);
      return out(waiting, 'error: timed out waiting for the condition\n', 1);
    }
    const desired = st.desiredNumberScheduled ?? 0;
    const updated = st.updatedNumberScheduled ?? 0;
    const available = st.numberAvailable ?? 0;
    if (updated < desired) return out(`Waiting for daemon set "${t.name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...\n`, 'error: timed out waiting for the condition\n', 1);
    if (available < desired) return out(`Waiting for daemon set "${t.name}" rollout to finish: ${available} of ${desired} updated pods are available...\n`, 'error: timed out waiting for the condition\n', 1);
    return out(`daemon set "${t.name}" successfully rolled out\n`);
  }
  if (sub === 'history') {
    // Deployments: one revision per ReplicaSet, oldest first (deployment.kubernetes.io/revision).
    let revisions: { n: number; cause: string }[];
    if (kind === 'deployments') {
      const sets = replicaSetsOf(ctx.session.cluster, ns).filter((r) => r.deployment?.meta.name === t.name || r.meta.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === t.name));
      // Each ReplicaSet's deployment.kubernetes.io/revision, oldest first (history.go ViewHistory).
      const rev = (r: (typeof sets)[number], i: number) => Number(r.meta.annotations['deployment.kubernetes.io/revision']) || i + 1;
      const ordered = sets.map((r, i) => ({ n: rev(r, i), cause: r.meta.annotations['kubernetes.io/change-cause'] ?? '<none>' })).filter((r) => r.n > 0);
      revisions = ordered.sort((a, b) => a.n - b.n);
    } else revisions = [{ n: 1, cause: '<none>' }];
    const table = tabwrite(['REVISION\tCHANGE-CAUSE', ...revisions.map((r) => `${r.n}\t${r.cause}`)].join('\n') + '\n', { minwidth: 0, padding: 2 });
    return out(`${label} \n${table}\n`);
  }
  return fail(`error: rollout ${sub} is not supported by this simulator`);
}
