/**
 * `kubectl cordon|uncordon|drain NODE` (k8s.io/kubectl/pkg/cmd/drain, pkg/drain/filters.go).
 * cordon/uncordon set spec.unschedulable through the engine: `node/x cordoned` or `node/x already
 * cordoned`. drain cordons, then the engine (controllers/nodes.ts drainNode) applies kubectl's
 * filters — mirror pods skipped, DaemonSet-managed pods refused unless --ignore-daemonsets, pods
 * without a controller refused unless --force — and evicts the rest, which their controllers
 * recreate elsewhere; this module prints kubectl's lines for what it did or refused.
 * Lines kubectl writes to its error stream (warnings, `evicting pod …`) are printed in order with
 * the others so the terminal reads as kubectl's does.
 */
import { fail, out, type Ctx, type Out } from '../types';
import { apiError, getFlags, type Parsed } from './args';
import { select } from './get';


/** `cordon NODE…` / `cordon -l SELECTOR`: the node names. */
function nodeNames(p: Parsed, ctx: Ctx, verb: string): string[] | Out {
  const f = getFlags(p);
  if (typeof f === 'string') return fail(f);
  if (p.positional.length) {
    const words = p.positional.map((w) => w.replace(/^(nodes?|no)\//, ''));
    return words;
  }
  if (f.selector) return select(ctx.session.cluster, 'nodes', f, []).items.map((i) => i.rec.meta.name);
  return fail(`error: USAGE: ${verb} NODE [flags]\nSee 'kubectl ${verb} -h' for help and examples`);
}

function cordon(ctx: Ctx, name: string, on: boolean): { line: string } | Out {
  const node = ctx.session.cluster.nodes.find((n) => n.meta.name === name);
  if (!node) return fail(`Error from server (NotFound): nodes "${name}" not found`);
  const word = on ? 'cordoned' : 'uncordoned';
  if (!!node.unschedulable === on) return { line: `node/${name} already ${word}\n` };
  const r = ctx.session.options.ops?.cordonNode?.(ctx.session.cluster, name, on);
  if (!r) return fail('error: this simulator session cannot cordon nodes');
  if (!r.ok) return fail(apiError(r.error));
  ctx.session.cluster = r.cluster;
  return { line: `node/${name} ${word}\n` };
}

export function cordonVerb(on: boolean) {
  return (p: Parsed, ctx: Ctx): Out => {
    const names = nodeNames(p, ctx, on ? 'cordon' : 'uncordon');
    if ('status' in names) return names;
    let stdout = '';
    for (const n of names) {
      const r = cordon(ctx, n, on);
      if ('status' in r) return out(stdout, r.stderr, r.status);
      stdout += r.line;
    }
    return out(stdout);
  };
}


export function cmdDrain(p: Parsed, ctx: Ctx): Out {
  const names = nodeNames(p, ctx, 'drain');
  if ('status' in names) return names;
  const options = { ignoreDaemonSets: p.flags['ignore-daemonsets'] === true, deleteEmptyDirData: p.flags['delete-emptydir-data'] === true, force: p.flags.force === true };
  let text = '';
  const pending: string[] = [];
  let fatal = '';
  for (const name of names) {
    // kubectl cordons first (and says so), then picks and evicts the pods.
    const c = cordon(ctx, name, true);
    if ('status' in c) return out(text + c.stdout, c.stderr, c.status);
    text += c.line;
    const r = ctx.session.options.ops?.drainNode?.(ctx.session.cluster, name, options);
    if (!r) return fail('error: this simulator session cannot drain nodes');
    if (!r.ok) {
      // The filters' refusals (utilerrors.NewAggregate: one message, or `[a, b]`).
      const errors = apiError(r.error).split('\n').map((l) => l.replace(/^.*?(cannot delete )/, '$1'));
      const msg = errors.length > 1 ? `[${errors.join(', ')}]` : errors[0];
      text += `error: unable to drain node "${name}" due to error: ${msg}, continuing command...\n`;
      pending.push(name);
      fatal = msg;
      continue;
    }
    ctx.session.cluster = r.cluster;
    if (r.warnings?.length) text += `Warning: ${r.warnings.join('; ')}\n`;
    for (const e of r.evicted) text += `evicting pod ${e}\n`;
    for (const e of r.evicted) text += `pod/${e.split('/')[1]} evicted\n`;
    text += `node/${name} drained\n`;
  }
  if (pending.length) return out(text, `There are pending nodes to be drained:\n${pending.map((n) => ` ${n}\n`).join('')}${fatal}\n`, 1);
  return out(text);
}
