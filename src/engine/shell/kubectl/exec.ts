/**
 * `kubectl exec POD [-c C] -- CMD`: the command runs in the pod's container with the image's
 * tools; a shell with `-it` enters the pod. Errors are the API server's and the runtime's words.
 */
import { sha256Hex } from '../../util/hash';
import { findPod } from '../files';
import { commandsFor, quote, toolsetOf } from '../places';
import { fail, out, type Ctx, type Out, type Place } from '../types';
import { namespaceOf, str, type Parsed } from './args';

export function podPlace(ctx: Ctx, namespace: string, name: string, container?: string): Place | Out {
  const pod = findPod(ctx.session.cluster, namespace, name);
  if (!pod) return fail(`Error from server (NotFound): pods "${name}" not found`);
  const c = container ? pod.containers.find((x) => x.name === container) : pod.containers[0];
  if (!c) return fail(`Error from server (BadRequest): container ${container} is not valid for pod ${name}`);
  if (pod.phase !== 'Running') return fail(`error: unable to upgrade connection: container not found ("${c.name}")`);
  return { kind: 'pod', namespace, name, container: c.name, tools: toolsetOf(c.image) };
}


export const SHELLS = /^(\/bin\/|\/usr\/bin\/)?(sh|bash|ash|zsh)$/;

/** Run an exec'd command in the pod (no shell unless the command is one). */
export function execIn(ctx: Ctx, place: Place, command: string[], interactive: boolean): Out {
  const bin = command[0].replace(/^\/(usr\/)?s?bin\//, '');
  if (SHELLS.test(command[0]) && command.length === 1) {
    if (interactive) ctx.session.places.push(place);
    return out();
  }
  if (!commandsFor(ctx.session, place)[bin]) {
    const id = sha256Hex(`exec:${command.join(' ')}`);
    return fail(`error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown`);
  }
  const r = ctx.runIn(place, command.map(quote).join(' '), ctx.stdin);
  if (r.status !== 0) return { ...r, stderr: r.stderr + `command terminated with exit code ${r.status}\n` };
  return r;
}

export function cmdExec(p: Parsed, ctx: Ctx): Out {
  const ns = namespaceOf(p);
  let name = p.positional[0];
  if (!name) return fail("error: you must specify at least one command for the container");
  if (name.startsWith('pod/') || name.startsWith('po/') || name.startsWith('pods/')) name = name.split('/')[1];
  if (!p.command.length) {
    if (p.positional.length > 1) return fail(`error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples`);
    return fail('error: you must specify at least one command for the container');
  }
  const place = podPlace(ctx, ns, name, str(p.flags.container));
  if ('status' in place) return place;
  return execIn(ctx, place, p.command, p.flags.stdin === true);
}

