/**
 * `kubectl run NAME --image=IMAGE [--labels=…] [-it] [--rm] [-- CMD]`: the pod kubectl's
 * generator builds (label run=NAME), created through the engine; with `-it` the session enters it.
 */
import { findPod } from '../files';
import { toolsetOf } from '../places';
import { fail, out, type Ctx, type Out, type Place } from '../types';
import { namespaceOf, str, type Parsed } from './args';
import { execIn, SHELLS } from './exec';

export function cmdRun(p: Parsed, ctx: Ctx): Out {
  const name = p.positional[0];
  const image = str(p.flags.image);
  const ns = namespaceOf(p);
  if (!name) return fail("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
  if (!image) return fail('error: required flag(s) "image" not set');
  if (findPod(ctx.session.cluster, ns, name)) return fail(`Error from server (AlreadyExists): pods "${name}" already exists`);
  // kubectl run labels the pod run=NAME unless --labels gives its own (generate/versioned/run.go).
  const lf = str(p.flags.labels);
  const labels: Record<string, string> = lf ? {} : { run: name };
  if (lf) for (const kv of lf.split(',')) labels[kv.split('=')[0]] = kv.split('=')[1] ?? '';
  const container: Record<string, unknown> = { name, image };
  const port = str(p.flags.port);
  if (port) container.ports = [{ containerPort: Number(port) }];
  if (p.command.length) container[p.flags.command === true ? 'command' : 'args'] = p.command;
  const manifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [container], restartPolicy: str(p.flags.restart) ?? 'Always' },
  };
  let pod: Record<string, unknown> = manifest;
  const overrides = str(p.flags.overrides);
  if (overrides) {
    // --overrides: a JSON merge patch (RFC 7386, kubectl's default --override-type=merge) over the
    // generated pod; evanphx/json-patch's MergePatch refuses a patch that is not JSON with ErrBadJSONPatch.
    let patch: unknown;
    try {
      patch = JSON.parse(overrides);
    } catch {
      return fail('error: Invalid JSON Patch');
    }
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return fail('error: Invalid JSON Patch');
    pod = mergePatch(manifest, patch) as Record<string, unknown>;
  }
  const add = ctx.session.options.ops?.addPod?.(ctx.session.cluster, pod);
  if (!add) return fail('error: this simulator session cannot create pods');
  if (!add.ok) return fail(add.error);
  ctx.session.cluster = add.cluster;
  const interactive = p.flags.stdin === true;
  if (!interactive) return out(`pod/${name} created\n`);
  const place: Place = { kind: 'pod', namespace: ns, name, container: name, tools: toolsetOf(image), rmOnExit: p.flags.rm === true };
  const hint = "If you don't see a command prompt, try pressing enter.\n";
  const cmd = p.command.length ? p.command : place.tools === 'debian' ? [] : ['sh'];
  if (cmd.length === 0 || (SHELLS.test(cmd[0]) && cmd.length === 1)) {
    ctx.session.places.push(place);
    return out('', hint);
  }
  const r = execIn(ctx, place, cmd, false);
  let stdout = r.stdout;
  if (place.rmOnExit) {
    const del = ctx.session.options.ops?.deletePod?.(ctx.session.cluster, ns, name);
    if (del?.ok) ctx.session.cluster = del.cluster;
    stdout += `pod "${name}" deleted\n`;
  }
  return { stdout, stderr: hint + r.stderr.replace(/command terminated with exit code \d+\n$/, ''), status: r.status };
}


/** RFC 7386 JSON merge patch: objects merge key by key, null removes a key, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete base[k];
    else base[k] = mergePatch(base[k], v);
  }
  return base;
}
