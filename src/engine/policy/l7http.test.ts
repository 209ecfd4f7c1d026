import { describe, expect, it } from 'vitest';
import { trace } from '../trace/tracer';
import { accessDeniedResponse, httpRuleMatches, httpVerdict, PROXY_PORT_RANGE } from './l7http';
import { L7_EXTRA, netpolCluster } from './testkit';

describe('CiliumNetworkPolicy L7 HTTP rules', () => {
  const c = netpolCluster('cilium', L7_EXTRA);
  const web = c.pods.get('x/web')!;
  const client = c.pods.get('x/client')!;
  const v = (method: string, path: string, headers?: Record<string, string>) => httpVerdict(c, client, web, 80, method, path, headers);

  it('GET /public is allowed; POST is denied; the path is a regex matched in full', () => {
    expect(v('GET', '/public')).toMatchObject({ proxied: true, allowed: true });
    expect(v('GET', '/public/docs/a.html')).toMatchObject({ proxied: true, allowed: true });
    expect(v('GET', '/')).toMatchObject({ allowed: true });
    expect(v('POST', '/public')).toMatchObject({ proxied: true, allowed: false });
    expect(v('GET', '/private')).toMatchObject({ allowed: false });
    expect(v('GET', '/x/public')).toMatchObject({ allowed: false });
    expect(v('get', '/public')).toMatchObject({ allowed: false });
  });

  it('headers: `Name: value` must be present and equal (names case-insensitive)', () => {
    expect(v('PUT', '/admin')).toMatchObject({ allowed: false });
    expect(v('PUT', '/admin', { 'x-token': 's3cret' })).toMatchObject({ allowed: true });
    expect(v('PUT', '/admin', { 'X-Token': 'nope' })).toMatchObject({ allowed: false });
    expect(httpRuleMatches({ headers: ['X-Debug'] }, { method: 'GET', path: '/', headers: { 'x-debug': '1' } })).toBe(true);
  });

  it('path and method are RE2, fully matched (Envoy safe_regex), in linear time', () => {
    const get = (path: string) => ({ method: 'GET', path });
    expect(httpRuleMatches({ path: '/public' }, get('/public/x'))).toBe(false);
    expect(httpRuleMatches({ path: '/public.*' }, get('/public/x'))).toBe(true);
    expect(httpRuleMatches({ path: '(?i)/API/v[0-9]+' }, get('/api/v2'))).toBe(true);
    expect(httpRuleMatches({ path: '/\\pL+' }, get('/Straße'))).toBe(true);
    // A backtracking engine takes exponential time here (29 s at 30 characters with a JS RegExp).
    expect(httpRuleMatches({ path: '/(a+)+b' }, get('/' + 'a'.repeat(5000)))).toBe(false);
    // regexp.Compile refuses a back-reference: the agent does not import the rule, so it allows nothing.
    expect(httpRuleMatches({ path: '/(a)\\1' }, get('/aa'))).toBe(false);
    expect(httpRuleMatches({ method: 'GET|HEAD' }, { method: 'HEAD', path: '/' })).toBe(true);
  });

  it('the verdict names the policy, the rule and the proxy port (10000–20000)', () => {
    const r = v('GET', '/public');
    expect(r.hops).toHaveLength(1);
    expect(r.hops[0]).toMatchObject({ direction: 'Ingress', allowedBy: { method: 'GET', path: '/public.*' } });
    expect(r.hops[0].policy.id).toBe('x/web-l7');
    expect(r.hops[0].proxyPort).toBeGreaterThanOrEqual(PROXY_PORT_RANGE[0]);
    expect(r.hops[0].proxyPort).toBeLessThanOrEqual(PROXY_PORT_RANGE[1]);
  });

  it('not proxied without L7 rules for the pair, or off Cilium', () => {
    expect(httpVerdict(c, c.pods.get('y/a')!, c.pods.get('x/a')!, 80, 'POST', '/')).toMatchObject({ proxied: false, allowed: true });
    const cal = netpolCluster('calico', L7_EXTRA.split('---').slice(0, 2).join('---'));
    expect(httpVerdict(cal, cal.pods.get('x/client')!, cal.pods.get('x/web')!, 80, 'POST', '/')).toMatchObject({ proxied: false });
  });

  it('the TCP connection is redirected to the proxy at the lxc hop (to-proxy port)', () => {
    const t = trace(c, { from: 'x/client', to: 'x/web', proto: 'tcp', port: 80 });
    expect(t.verdict).toBe('delivered');
    const hop = t.hops.find((h) => h.detail.includes('redirected to the proxy'))!;
    expect(hop.detail).toContain(`(L7 rules: redirected to the proxy, Envoy on to-proxy port ${v('GET', '/').hops[0].proxyPort})`);
    expect(hop.detail).toContain('CiliumNetworkPolicy x/web-l7 ingress rule 1');
  });

  it("a denied request gets Envoy's 403 with `Access denied`", () => {
    const r = accessDeniedResponse(300);
    expect(r).toEqual({ status: 403, reason: 'Forbidden', headers: [['content-length', '15'], ['content-type', 'text/plain'], ['date', 'Mon, 01 Jan 2024 00:05:00 GMT'], ['server', 'envoy']], body: 'Access denied\r\n' });
  });
});
