/**
 * `kubectl set selector` and `kubectl set image` (k8s.io/kubectl/pkg/cmd/set): each builds a
 * patch of the object and sends it, so here they go through `kubectl patch`'s path (patch.ts).
 * - selector: the last argument is the selector (metav1.ParseToLabelSelector); it replaces a
 *   Service's spec.selector; match expressions and other kinds are set_selector.go's errors;
 *   prints `service/web selector updated`.
 * - image: `CONTAINER=IMAGE ...` (`*` for every container) on a workload's pod template or a pod;
 *   prints `deployment.apps/web image updated`.
 */
import { fail, type Ctx, type Out } from '../types';
import { namespaceOf, type Parsed } from './args';
import { resolveResource } from './get';
import { patchObject, type JsonValue } from './patch';

export function cmdSet(p: Parsed, ctx: Ctx): Out {
  const sub = p.positional.shift();
  if (sub === 'selector') return setSelector(p, ctx);
  if (sub === 'image') return setImage(p, ctx);
  if (sub === undefined) return fail(`error: Required resource not specified.\nSee 'kubectl set -h' for help and examples`);
  if (['env', 'resources', 'serviceaccount', 'subject'].includes(sub)) return fail(`error: podpath does not simulate "kubectl set ${sub}"; use kubectl patch instead`);
  return fail(`error: unknown command "${sub}" for "kubectl set"\nRun 'kubectl set --help' for usage.`);
}

function setSelector(p: Parsed, ctx: Ctx): Out {
  if (p.positional.length < 2) return fail(`error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'kubectl set selector -h' for help and examples`);
  const expr = p.positional[p.positional.length - 1];
  const words = p.positional.slice(0, -1);
  const kindWord = words[0].includes('/') ? words[0].slice(0, words[0].indexOf('/')) : words[0];
  if (resolveResource(kindWord) !== 'services') return fail('error: setting a selector is only supported for Services');
  const labels: Record<string, string> = {};
  for (const part of expr.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=!\s(]+)\s*==?\s*([^=!\s]*)$/.exec(part);
    if (!m) return fail(`error: match expression [${part}] not supported on this object`);
    labels[m[1]] = m[2];
  }
  // The JSON patch `add` replaces the whole map: set selector replaces, it does not merge.
  return patchObject(ctx, words, namespaceOf(p), 'json', [{ op: 'add', path: '/spec/selector', value: labels }], ['selector updated', 'selector updated']);
}

function setImage(p: Parsed, ctx: Ctx): Out {
  const first = p.positional.findIndex((w) => w.includes('='));
  if (first < 1) return fail(`error: at least one image update is required\nSee 'kubectl set image -h' for help and examples`);
  const words = p.positional.slice(0, first);
  const images = p.positional.slice(first).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] as const);
  const kindWord = words[0].includes('/') ? words[0].slice(0, words[0].indexOf('/')) : words[0];
  const kind = resolveResource(kindWord);
  const containers = images.filter(([c]) => c !== '*').map(([name, image]) => ({ name, image }));
  if (images.some(([c]) => c === '*')) return fail(`error: podpath does not simulate "kubectl set image *=IMAGE"; name the container`);
  const patch: JsonValue = kind === 'pods' ? { spec: { containers } } : { spec: { template: { spec: { containers } } } };
  return patchObject(ctx, words, namespaceOf(p), 'strategic', patch, ['image updated', 'image updated']);
}
