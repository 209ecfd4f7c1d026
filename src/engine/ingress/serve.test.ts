/**
 * What the backend receives through ingress-nginx: its proxy_set_header lines (upstreamRequest),
 * with the client address the controller saw after kube-proxy (SNAT under
 * externalTrafficPolicy Cluster, the real client under Local), as traefik/whoami echoes it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineShell } from '../engineShell';
import { loadCluster } from '../index';
import { goRequestWrite, type HttpRequest } from '../apps/http';
import { load } from '../external/fixture';
import { upstreamRequest } from './serve';

const text = readFileSync(new URL('../../scenarios/ingress.yaml', import.meta.url), 'utf8');

const REQ: HttpRequest = { method: 'GET', path: '/api', host: 'shop.example.com', userAgent: 'curl/8.5.0', clientIp: '198.51.100.10', clientPort: 40001, headers: [['Accept', '*/*']] };

/** The header lines whoami prints after the request line. */
function headerLines(stdout: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of stdout.split('\r\n')) {
    const h = /^([A-Za-z-]+): (.*)$/.exec(line);
    if (h) m.set(h[1], h[2]);
  }
  return m;
}

describe('upstreamRequest (nginx.tmpl proxy_set_header)', () => {
  const cluster = load(text);

  it('adds the X-Forwarded-* set, X-Real-IP and a 32-hex X-Request-ID; keeps the client headers', () => {
    const up = upstreamRequest(cluster, REQ, 80);
    const h = new Map(up.headers);
    expect(h.get('X-Real-IP')).toBe('198.51.100.10');
    expect(h.get('X-Forwarded-For')).toBe('198.51.100.10');
    expect(h.get('X-Forwarded-Host')).toBe('shop.example.com');
    expect(h.get('X-Forwarded-Port')).toBe('80');
    expect(h.get('X-Forwarded-Proto')).toBe('http');
    expect(h.get('X-Forwarded-Scheme')).toBe('http');
    expect(h.get('X-Scheme')).toBe('http');
    expect(h.get('X-Request-ID')).toMatch(/^[0-9a-f]{32}$/);
    expect(h.get('Accept')).toBe('*/*');
    // Empty values are not sent: no Connection, Upgrade, Proxy, X-Original-Forwarded-For.
    expect([...h.keys()].filter((k) => /^(Connection|Upgrade|Proxy|X-Original-Forwarded-For)$/.test(k))).toEqual([]);
    expect(upstreamRequest(cluster, REQ, 80).headers).toEqual(up.headers);
  });

  it('overrides what the client claims and keeps its X-Forwarded-For as X-Original-Forwarded-For; 443 is https', () => {
    const spoof: HttpRequest = { ...REQ, headers: [['Accept', '*/*'], ['X-Forwarded-For', '1.2.3.4'], ['x-real-ip', '5.6.7.8'], ['X-Request-ID', 'abc']] };
    const up = upstreamRequest(cluster, spoof, 443);
    const h = new Map(up.headers);
    expect(h.get('X-Forwarded-For')).toBe('198.51.100.10');
    expect(h.get('X-Real-IP')).toBe('198.51.100.10');
    expect(h.has('x-real-ip')).toBe(false);
    expect(h.get('X-Original-Forwarded-For')).toBe('1.2.3.4');
    expect(h.get('X-Request-ID')).toBe('abc');
    expect(h.get('X-Forwarded-Port')).toBe('443');
    expect(h.get('X-Forwarded-Proto')).toBe('https');
  });
});

describe('goRequestWrite (what whoami echoes)', () => {
  it('writes Host, User-Agent, Connection: close, then the headers sorted by canonical key', () => {
    const req: HttpRequest = { ...REQ, headers: [['Connection', 'close'], ['x-real-ip', '1.1.1.1'], ['Accept', '*/*'], ['X-Forwarded-For', '2.2.2.2']] };
    expect(goRequestWrite(req)).toBe('GET /api HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: curl/8.5.0\r\nConnection: close\r\nAccept: */*\r\nX-Forwarded-For: 2.2.2.2\r\nX-Real-Ip: 1.1.1.1\r\n\r\n');
  });
});

describe('curl through ingress-nginx to whoami', () => {
  const curl = "curl -s -H 'Host: shop.example.com' http://203.0.113.1/api";

  it('externalTrafficPolicy Local (the cloud manifest): the backend sees the real client in X-Forwarded-For / X-Real-IP', () => {
    const loaded = loadCluster([{ name: 'ingress.yaml', text }]);
    if (!loaded.ok) throw new Error('load');
    const sh = engineShell(loaded.value);
    const r = sh.run(curl);
    expect(r.status).toBe(0);
    const h = headerLines(r.stdout);
    expect(h.get('X-Real-Ip')).toBe('198.51.100.10');
    expect(h.get('X-Forwarded-For')).toBe('198.51.100.10');
    expect(h.get('X-Forwarded-Host')).toBe('shop.example.com');
    expect(h.get('X-Forwarded-Port')).toBe('80');
    expect(h.get('X-Forwarded-Proto')).toBe('http');
    expect(h.get('X-Request-Id')).toMatch(/^[0-9a-f]{32}$/);
    // whoami's own lines end in \n (fmt.Fprintln), the echoed request in \r\n (Request.Write).
    expect(r.stdout).toMatch(/^Hostname: api-\S+\nIP: 127\.0\.0\.1\n/);
  });

  it('externalTrafficPolicy Cluster: the controller sees the SNAT address, and passes that on', () => {
    const loaded = loadCluster([{ name: 'ingress.yaml', text }]);
    if (!loaded.ok) throw new Error('load');
    const sh = engineShell(loaded.value);
    const svc = sh.run('kubectl get svc -n ingress-nginx ingress-nginx-controller -o yaml').stdout;
    const cluster = svc.replace(/externalTrafficPolicy: Local/, 'externalTrafficPolicy: Cluster');
    expect(cluster).not.toBe(svc);
    expect(sh.run(`kubectl apply -f - <<EOF\n${cluster}EOF`).status).toBe(0);
    const r = sh.run(curl);
    expect(r.status).toBe(0);
    const h = headerLines(r.stdout);
    const seen = h.get('X-Real-Ip');
    expect(seen).toBeDefined();
    expect(seen).not.toBe('198.51.100.10');
    expect(h.get('X-Forwarded-For')).toBe(seen);
  });
});
