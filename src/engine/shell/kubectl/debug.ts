/**
 * `kubectl debug node/NAME -it --image=IMAGE`: a pod on the node in its host namespaces (the
 * node's root filesystem at /host); the session enters it, or runs the command after `--`.
 */
import { K8S_NAME_ALPHABET } from '../../sim/rng';
import { sha256Hex } from '../../util/hash';
import { quote } from '../places';
import { fail, out, type Ctx, type Out, type Place } from '../types';
import type { Parsed } from './args';

export function cmdDebug(p: Parsed, ctx: Ctx): Out {
  const target = p.positional[0] ?? '';
  if (!target.startsWith('node/')) return fail('error: the simulator supports `kubectl debug node/NAME -it --image=IMAGE`');
  const nodeName = target.slice(5);
  const node = ctx.session.cluster.nodes.find((n) => n.meta.name === nodeName);
  if (!node) return fail(`Error from server (NotFound): nodes "${nodeName}" not found`);
  const suffix = Array.from(sha256Hex(`debug:${nodeName}:${ctx.session.history.length}`).slice(0, 5)).map((ch) => K8S_NAME_ALPHABET[parseInt(ch, 16) % K8S_NAME_ALPHABET.length]).join('');
  const podName = `node-debugger-${nodeName}-${suffix}`;
  let stdout = `Creating debugging pod ${podName} with container debugger on node ${nodeName}.\n`;
  const place: Place = { kind: 'node', node: nodeName, via: 'debug' };
  if (p.command.length) {
    const r = ctx.runIn(place, p.command.map(quote).join(' '));
    return { ...r, stdout: stdout + r.stdout };
  }
  if (p.flags.stdin === true) {
    ctx.session.places.push(place);
    return out(stdout, "If you don't see a command prompt, try pressing enter.\n");
  }
  return out(stdout);
}

