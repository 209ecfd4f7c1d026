import { describe, expect, it } from 'vitest';
import { loadCluster } from '../index';
import { formatScenarioError } from '../model/source';

const BOMB = `apiVersion: v1
kind: ConfigMap
metadata: {name: lol}
data:
  a: &a ["x","x","x","x","x","x","x","x","x"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

describe('parseFiles input guards', () => {
  it('refuses a YAML alias bomb quickly, naming the file', () => {
    const t = Date.now();
    const r = loadCluster([{ name: 'lol.yaml', text: BOMB }]);
    expect(Date.now() - t).toBeLessThan(5000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatScenarioError(r.errors[0])).toMatch(/^lol\.yaml:1:1: refused: lol\.yaml expands through YAML aliases/);
  });

  it('keeps ordinary anchors and merge keys working', () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: a, labels: &l {app: a}}
  spec: &s {containers: [{name: c, image: nginx}]}
- apiVersion: v1
  kind: Pod
  metadata: {name: b, labels: {<<: *l, tier: web}}
  spec: *s
`;
    const r = loadCluster([{ name: 's.yaml', text }]);
    expect(r.ok).toBe(true);
  });

  it('refuses nesting deeper than js-yaml allows, at its line', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: ${'['.repeat(500)}${']'.repeat(500)}\n`;
    const r = loadCluster([{ name: 'deep.yaml', text }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatScenarioError(r.errors[0])).toMatch(/^deep\.yaml:5:\d+: error converting YAML to JSON: yaml: line 5: nesting exceeded maxDepth/);
  });
});
