/**
 * Label selectors as `kubectl -l` parses them (k8s.io/apimachinery/pkg/labels.Parse):
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, joined by commas. Read into
 * a metav1.LabelSelector (model/labelSelector.ts) and matched as one: `a=b` is `a In (b)` and
 * `a!=b` is `a NotIn (b)` (Equals needs the key; NotEquals, like NotIn, matches without it).
 * Parsed once per command, then matched against each object.
 */
import type { LabelSelector, LabelSelectorRequirement } from '../../model/labelSelector';

/** Split on commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

export function parseSelector(text: string): { ok: true; selector: LabelSelector } | { ok: false; error: string } {
  const reqs: LabelSelectorRequirement[] = [];
  const selector: LabelSelector = { matchLabels: {}, matchExpressions: reqs };
  if (text.trim() === '') return { ok: true, selector };
  for (const raw of splitTop(text)) {
    const part = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part))) {
      reqs.push({ key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values: m[3].split(',').map((v) => v.trim()) });
    } else if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part))) {
      reqs.push({ key: m[1], operator: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3]] });
    } else if ((m = /^!\s*([^\s!=(),]+)$/.exec(part))) {
      reqs.push({ key: m[1], operator: 'DoesNotExist', values: [] });
    } else if ((m = /^([^\s!=(),]+)$/.exec(part))) {
      reqs.push({ key: m[1], operator: 'Exists', values: [] });
    } else {
      return { ok: false, error: `unable to parse requirement: found '${part}', expected: identifier` };
    }
  }
  return { ok: true, selector };
}
