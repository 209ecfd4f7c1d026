/**
 * Ingress: routing precedence (host exact > wildcard > no host; longest path; Exact over Prefix
 * at equal length; Prefix by path element), API-server validation messages, the ingress-nginx
 * objects, and a request traced client → LB → controller → backend pod.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCluster } from '../index';
import { load } from '../external/fixture';
import { trace } from '../trace/tracer';
import { servicesOf } from '../services/table';
import { formatIpv4 } from '../addressing/ipv4';
import { pathMatches, routeIngress } from './route';
import { traceIngress } from './proxy';
import { validateIngress } from './validate';

const text = readFileSync(new URL('../../scenarios/ingress.yaml', import.meta.url), 'utf8');
const cluster = load(text);

describe('routeIngress', () => {
  const cases: [string, string, string][] = [
    // host, path → the rule (ingress field) or the outcome
    ['shop.example.com', '/', 'shop spec.rules[0].http.paths[0]'],
    ['shop.example.com', '/api', 'shop spec.rules[0].http.paths[1]'],
    ['shop.example.com', '/api/', 'shop spec.rules[0].http.paths[1]'],
    ['shop.example.com', '/api/cart?x=1', 'shop spec.rules[0].http.paths[1]'],
    ['shop.example.com', '/apiary', 'shop spec.rules[0].http.paths[0]'],
    ['shop.example.com', '/healthz', 'shop spec.rules[0].http.paths[2]'],
    ['shop.example.com', '/healthz/', 'shop spec.rules[0].http.paths[0]'],
    ['SHOP.example.com:80', '/api', 'shop spec.rules[0].http.paths[1]'],
    ['a.example.com', '/x', 'wildcard spec.rules[0].http.paths[0]'],
    ['a.b.example.com', '/x', 'wildcard spec.defaultBackend'],
    ['example.com', '/x', 'wildcard spec.defaultBackend'],
  ];
  for (const [host, path, want] of cases) {
    it(`${host} ${path} → ${want}`, () => {
      const r = routeIngress(cluster, host, path);
      expect(`${r.match?.ingress.name} ${r.match?.field}`).toBe(want);
      expect(r.endpoints.length).toBe(2);
    });
  }

  it('Exact beats Prefix for the same path; the longest path wins', () => {
    const extra = `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: precedence}
spec:
  ingressClassName: nginx
  rules:
  - host: p.test
    http:
      paths:
      - {path: /foo, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /foo, pathType: Exact, backend: {service: {name: api, port: {number: 8080}}}}
      - {path: /foo/bar, pathType: Prefix, backend: {service: {name: api, port: {number: 8080}}}}
      - {path: /missing, pathType: Prefix, backend: {service: {name: nope, port: {number: 80}}}}
`;
    const c = load(text + extra);
    expect(routeIngress(c, 'p.test', '/foo').match?.pathType).toBe('Exact');
    expect(routeIngress(c, 'p.test', '/foo/').match?.field).toBe('spec.rules[0].http.paths[0]');
    expect(routeIngress(c, 'p.test', '/foo/bar/baz').match?.path).toBe('/foo/bar');
    const missing = routeIngress(c, 'p.test', '/missing');
    expect(missing.status).toBe(503);
    expect(missing.explain).toMatch(/service "default\/nope" not found/);
    // p.test has rules, so its unmatched paths go to the served defaultBackend.
    expect(routeIngress(c, 'p.test', '/other').match?.field).toBe('spec.defaultBackend');
  });

  it('Prefix matches whole path elements; ImplementationSpecific is nginx string prefix', () => {
    expect(pathMatches('/foo', 'Prefix', '/foo/bar')).toBe(true);
    expect(pathMatches('/foo/', 'Prefix', '/foo')).toBe(true);
    expect(pathMatches('/foo', 'Prefix', '/foobar')).toBe(false);
    expect(pathMatches('/', 'Prefix', '/anything')).toBe(true);
    expect(pathMatches('/foo', 'Exact', '/foo/')).toBe(false);
    expect(pathMatches('/foo', 'ImplementationSpecific', '/foobar')).toBe(true);
  });

  it('ignores Ingresses of another class, and class-less ones unless nginx is the default class', () => {
    const c = load(
      text.replace(/ingressClassName: nginx\n  defaultBackend/, 'defaultBackend').replace('ingressClassName: nginx\n  tls', 'ingressClassName: traefik\n  tls'),
    );
    const r = routeIngress(c, 'shop.example.com', '/api');
    expect(r.status).toBe(404);
    expect(r.explain).toMatch(/2 Ingresses ignored/);
  });
});

describe('Ingress validation', () => {
  const problems = (spec: unknown) => validateIngress({ spec }).map((p) => `${p.path.join('.')}: ${p.message}`);
  it('uses the API server messages', () => {
    expect(problems({ rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] })).toEqual([
      'spec.rules.0.http.paths.0.pathType: Required value: pathType must be specified',
    ]);
    expect(problems({ rules: [{ http: { paths: [{ path: 'api', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] })).toEqual([
      'spec.rules.0.http.paths.0.path: Invalid value: "api": must be an absolute path',
    ]);
    expect(problems({ rules: [{ http: { paths: [{ path: '/', pathType: 'Regex', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] })).toEqual([
      'spec.rules.0.http.paths.0.pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    ]);
    expect(problems({ rules: [{ host: '10.0.0.1', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: {} } } }] } }] })).toEqual([
      'spec.rules.0.host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
      'spec.rules.0.http.paths.0.backend: Required value: port name or number is required',
    ]);
    expect(problems({})).toEqual(['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']);
  });

  it('is applied by the scenario loader', () => {
    const bad = text.replace('      - path: /api\n        pathType: Prefix\n', '      - path: /api\n');
    const r = loadCluster([{ name: 'ingress.yaml', text: bad }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => `${e.object} ${e.field}: ${e.message}`)).toEqual(['Ingress/default/shop spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified']);
  });
});

describe('ingress-nginx', () => {
  it('is installed with its LoadBalancer Service (externalTrafficPolicy Local) and IngressClass', () => {
    const svc = servicesOf(cluster).byName.get('ingress-nginx/ingress-nginx-controller')!;
    expect(svc.type).toBe('LoadBalancer');
    expect(svc.externalTrafficPolicy).toBe('Local');
    expect([...cluster.objects.keys()].filter((k) => k.startsWith('IngressClass/'))).toEqual(['IngressClass//nginx']);
    const pods = [...cluster.pods.values()].filter((p) => p.meta.namespace === 'ingress-nginx');
    expect(pods.map((p) => p.meta.name)).toEqual([expect.stringMatching(/^ingress-nginx-controller-\w+-\w{5}$/)]);
  });

  it('is not installed without Ingresses or the option', () => {
    const c = load(text.replace('  ingressController: nginx\n', '').split('\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress')[0]);
    expect(servicesOf(c).byName.has('ingress-nginx/ingress-nginx-controller')).toBe(false);
  });

  it('traces client → LB → controller, then a new connection from the controller to the backend pod', () => {
    const lb = formatIpv4(servicesOf(cluster).byName.get('ingress-nginx/ingress-nginx-controller')!.loadBalancerIP!);
    const x = traceIngress(cluster, (c, r) => trace(c, r), { from: 'external', to: lb, proto: 'tcp', port: 80, host: 'shop.example.com', path: '/api/cart' });
    expect(x.client.verdict).toBe('delivered');
    expect(x.controller?.meta.namespace).toBe('ingress-nginx');
    // Local policy: nginx sees the client address.
    expect(x.client.hops[x.client.hops.length - 1].packet.src).toBe('198.51.100.10');
    expect(x.route?.match?.field).toBe('spec.rules[0].http.paths[1]');
    expect(x.summary).toMatch(/ingress default\/shop spec\.rules\[0\]\.http\.paths\[1\]: host shop\.example\.com path \/api \(Prefix\) → service default\/api:http/);
    expect(x.proxied?.verdict).toBe('delivered');
    // nginx connects to the endpoint itself: the packet leaves for a pod IP, no kube-proxy DNAT on the way.
    expect(x.proxied!.hops[0].packet.dst).toBe(x.upstream!.ip);
    expect(x.proxied!.hops.some((h) => h.detail.includes('KUBE-SVC-'))).toBe(false);
    expect(x.upstream?.pod).toMatch(/^default\/api-/);
  });
});
