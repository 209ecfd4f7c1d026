/**
 * metav1.LabelSelector, as Deployments, Services and NetworkPolicies carry it: matchLabels and
 * matchExpressions (In, NotIn, Exists, DoesNotExist), all requirements ANDed; an empty selector
 * `{}` selects everything (k8s.io/apimachinery/pkg/apis/meta/v1 LabelSelectorAsSelector).
 * kubectl's `-l` selectors (shell/kubectl/selector.ts) are read into the same form. Matching
 * walks the selector as it is, without allocating.
 */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: LabelSelectorRequirement[];
}

export const EMPTY_SELECTOR: LabelSelector = { matchLabels: {}, matchExpressions: [] };

export function isEmptySelector(s: LabelSelector): boolean {
  return s.matchExpressions.length === 0 && Object.keys(s.matchLabels).length === 0;
}

export function selectorMatches(s: LabelSelector, labels: Record<string, string>): boolean {
  for (const k in s.matchLabels) if (labels[k] !== s.matchLabels[k]) return false;
  for (const r of s.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(labels[r.key])) return false;
        break;
      case 'NotIn':
        // NotIn matches objects without the key too (labels.Requirement.Matches).
        if (has && r.values.includes(labels[r.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** kubectl describe's rendering of a selector (metav1.FormatLabelSelector): `app=web,tier in (a,b)`, `<none>` when empty. */
export function formatSelector(s: LabelSelector): string {
  const parts: string[] = [];
  for (const k of Object.keys(s.matchLabels).sort()) parts.push(`${k}=${s.matchLabels[k]}`);
  for (const r of s.matchExpressions) {
    if (r.operator === 'In') parts.push(`${r.key} in (${r.values.join(',')})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${r.values.join(',')})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** Read a LabelSelector from a validated manifest value (missing parts are empty). */
export function readSelector(v: unknown): LabelSelector {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const ml = (o.matchLabels && typeof o.matchLabels === 'object' ? o.matchLabels : {}) as Record<string, unknown>;
  const matchLabels: Record<string, string> = {};
  for (const k in ml) matchLabels[k] = String(ml[k]);
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (Array.isArray(o.matchExpressions)) {
    for (const e of o.matchExpressions) {
      if (!e || typeof e !== 'object') continue;
      const r = e as Record<string, unknown>;
      matchExpressions.push({
        key: String(r.key ?? ''),
        operator: String(r.operator ?? '') as SelectorOperator,
        values: Array.isArray(r.values) ? r.values.map(String) : [],
      });
    }
  }
  return { matchLabels, matchExpressions };
}
