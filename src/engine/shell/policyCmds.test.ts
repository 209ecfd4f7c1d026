import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { engineOps } from '../engineShell';
import { L7_EXTRA, netpolCluster } from '../policy/testkit';
import { trace, traceroute } from '../trace/tracer';
import { createShell } from './Shell';

const cluster = netpolCluster('cilium', L7_EXTRA);
const ip = formatIpv4(cluster.pods.get('x/web')!.attachment!.ip);
const shell = () => createShell({ cluster, trace, traceroute, ops: engineOps });

describe('curl and wget through Cilium L7 HTTP rules', () => {
  it('GET / and GET /public… reach nginx; POST and other paths get Envoy 403 "Access denied"', () => {
    const sh = shell();
    expect(sh.run(`kubectl exec -n x client -- curl -s -o /dev/null -w "%{http_code}" http://${ip}/`).stdout).toBe('200');
    expect(sh.run(`kubectl exec -n x client -- curl -s http://${ip}/public/a`).stdout).toContain('<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>');
    expect(sh.run(`kubectl exec -n x client -- curl -si -X POST http://${ip}/public`).stdout).toBe(
      'HTTP/1.1 403 Forbidden\r\ncontent-length: 15\r\ncontent-type: text/plain\r\ndate: Mon, 01 Jan 2024 00:05:05 GMT\r\nserver: envoy\r\n\r\nAccess denied\r\n',
    );
    const w = sh.run(`kubectl exec -n x client -- wget -qO- http://${ip}/private`);
    expect(w.stderr).toContain('wget: server returned error: HTTP/1.1 403 Forbidden\n');
  });

  it('a denied request never reaches the app (no nginx access-log line)', () => {
    const sh = shell();
    sh.run(`kubectl exec -n x client -- curl -s -X POST http://${ip}/`);
    expect(sh.run('kubectl logs -n x web').stdout).not.toContain('"POST');
    sh.run(`kubectl exec -n x client -- curl -s http://${ip}/`);
    expect(sh.run('kubectl logs -n x web').stdout).toMatch(/"GET \/ HTTP\/1\.1" 200 615/);
  });
});

describe('hubble observe --protocol http', () => {
  it('lists the proxy’s L7 flows in Hubble’s compact format (golden)', () => {
    const sh = shell();
    sh.run(`kubectl exec -n x client -- curl -s http://${ip}/public`);
    sh.run(`kubectl exec -n x client -- curl -s -X POST http://${ip}/public`);
    const flows = sh.run('hubble observe --protocol http').stdout;
    expect(flows).toBe(
      [
        `Jan  1 00:05:05.000: x/client:35337 (ID:49700) -> x/web:80 (ID:43275) http-request FORWARDED (HTTP/1.1 GET http://${ip}/public)`,
        `Jan  1 00:05:05.000: x/client:35337 (ID:49700) <- x/web:80 (ID:43275) http-response FORWARDED (HTTP/1.1 404 2ms (GET http://${ip}/public))`,
        `Jan  1 00:05:05.000: x/client:35339 (ID:49700) -> x/web:80 (ID:43275) http-request DROPPED (HTTP/1.1 POST http://${ip}/public)`,
        `Jan  1 00:05:05.000: x/client:35339 (ID:49700) <- x/web:80 (ID:43275) http-response FORWARDED (HTTP/1.1 403 0ms (POST http://${ip}/public))`,
        '',
      ].join('\n'),
    );
    expect(sh.run('hubble observe --verdict DROPPED').stdout).toBe(`Jan  1 00:05:05.000: x/client:35339 (ID:49700) -> x/web:80 (ID:43275) http-request DROPPED (HTTP/1.1 POST http://${ip}/public)\n`);
    // Without --protocol the L7 flows follow the TCP flows that carried them.
    const all = sh.run('hubble observe --pod x/client').stdout.split('\n');
    expect(all[0]).toContain('to-proxy FORWARDED (TCP Flags: SYN)');
    expect(all[2]).toContain('http-request FORWARDED');
  });
});
