/**
 * Every kind `kubectl get` knows goes through the same printers: -o jsonpath, json, yaml, name,
 * wide and custom-columns behave alike for pods and for NetworkPolicies, Ingresses and
 * IngressClasses (which once printed their table for -o jsonpath).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineShell } from '../../engineShell';
import { loadCluster } from '../../load';
import { HEADERS, OBJECT_SINGULAR, type ObjectKind } from './kinds';

const POLICIES = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, labels: {team: a}}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]
`;

function shell() {
  const text = readFileSync(new URL('../../../scenarios/ingress.yaml', import.meta.url), 'utf8') + POLICIES;
  const loaded = loadCluster([{ name: 'ingress.yaml', text }]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return engineShell(loaded.value);
}

const KIND: Partial<Record<ObjectKind, string>> = { networkpolicies: 'NetworkPolicy', ingresses: 'Ingress', ingressclasses: 'IngressClass', services: 'Service', deployments: 'Deployment', events: 'Event' };

describe('kubectl get: one set of printers for every kind', () => {
  const sh = shell();
  for (const kind of Object.keys(HEADERS) as ObjectKind[]) {
    it(`${kind}: -o jsonpath, json, yaml, name and wide`, () => {
      const names = sh.run(`kubectl get ${kind} -A -o name`);
      expect(names.status).toBe(0);
      const lines = names.stdout.split('\n').filter(Boolean);
      for (const l of lines) expect(l.startsWith(`${OBJECT_SINGULAR[kind]}/`)).toBe(true);
      const jp = sh.run(`kubectl get ${kind} -A -o jsonpath={.items[*].metadata.name}`);
      expect(jp.status).toBe(0);
      expect(jp.stdout.split(' ').filter(Boolean)).toEqual(lines.map((l) => l.slice(l.indexOf('/') + 1)));
      const json = JSON.parse(sh.run(`kubectl get ${kind} -A -o json`).stdout) as { kind: string; items: { kind: string }[] };
      expect(json.kind).toBe('List');
      expect(json.items).toHaveLength(lines.length);
      if (KIND[kind]) for (const item of json.items) expect(item.kind).toBe(KIND[kind]);
      expect(sh.run(`kubectl get ${kind} -A -o yaml`).stdout).toMatch(/^apiVersion: v1\nitems:/);
      const wide = sh.run(`kubectl get ${kind} -A -o wide`);
      if (lines.length) expect(wide.stdout.split('\n')[0]).toMatch(kind === 'ingressclasses' ? /^NAME\s/ : /^NAMESPACE\s+/);
    });
  }

  it('NetworkPolicies: jsonpath on one, label selector, custom columns, and with other kinds', () => {
    expect(sh.run("kubectl get netpol -o jsonpath='{.items[*].metadata.name}'").stdout).toBe('allow-web deny-all');
    expect(sh.run('kubectl get netpol deny-all -o jsonpath={.spec.policyTypes[0]}').stdout).toBe('Ingress');
    expect(sh.run('kubectl get netpol -l team=a -o name').stdout).toBe('networkpolicy.networking.k8s.io/deny-all\n');
    expect(sh.run('kubectl get networkpolicies -o custom-columns=NAME:.metadata.name,SEL:.spec.podSelector.matchLabels.app').stdout).toBe('NAME        SEL\nallow-web   web\ndeny-all    <none>\n');
    const both = sh.run('kubectl get netpol,ing -o name').stdout;
    expect(both).toBe('networkpolicy.networking.k8s.io/allow-web\nnetworkpolicy.networking.k8s.io/deny-all\ningress.networking.k8s.io/shop\ningress.networking.k8s.io/wildcard\n');
    const missing = sh.run('kubectl get netpol nope -o jsonpath={.metadata.name}');
    expect(missing.stderr).toBe('Error from server (NotFound): networkpolicies.networking.k8s.io "nope" not found\n');
    expect(missing.status).toBe(1);
  });

  it('IngressClasses are cluster-scoped: no NAMESPACE column, -n does not hide them', () => {
    expect(sh.run('kubectl get ingressclass -n kube-system -o jsonpath={.items[*].spec.controller}').stdout).toBe('k8s.io/ingress-nginx');
    expect(sh.run('kubectl get ingressclass -A').stdout).toMatch(/^NAME\s+CONTROLLER\s+PARAMETERS\s+AGE\nnginx\s+k8s\.io\/ingress-nginx\s+<none>\s+/);
    expect(sh.run('kubectl get ing -n nope').stderr).toBe('No resources found in nope namespace.\n');
  });
});
