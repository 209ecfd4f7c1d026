import { describe, expect, it } from 'vitest';
import { dnsCluster, dnsShell } from '../dns/dnsFixture';
import { servicesOf } from '../services/table';
import { formatIpv4 } from '../addressing/ipv4';
import { NGINX_WELCOME } from '../apps/catalog';
import { createShell } from './Shell';
import { PING_INTERRUPT_AFTER } from './ping';
import { NC_SCAN_LIMIT } from './httpCmds';
import { applyManifests, setCni } from '../controllers/commands';

const cluster = dnsCluster();
const webIp = formatIpv4(servicesOf(cluster).byName.get('default/web')!.clusterIP!);
const webPods = [...cluster.pods.values()].filter((p) => p.meta.labels.app === 'web');
const podIp = formatIpv4(webPods[0].attachment!.ip);
const run = (line: string) => dnsShell(cluster).run(line);

describe('curl', () => {
  it('30 curls in one session take a new source port each, so kube-proxy spreads them over every endpoint (as the kernel does)', () => {
    const sh = dnsShell(cluster);
    const ports = new Set<number>();
    const endpoints = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const syn = sh.run('kubectl exec netshoot -- curl -s http://web').traces!.at(-1)!;
      ports.add(syn.hops[0].packet.srcPort!);
      endpoints.add(syn.hops.at(-1)!.netns);
    }
    expect(ports.size).toBe(30);
    for (const p of ports) expect(p).toBeGreaterThanOrEqual(32768), expect(p).toBeLessThanOrEqual(60999);
    expect(endpoints).toEqual(new Set(webPods.map((p) => `pod/default/${p.meta.name}`)));
  });

  it('through the Service: DNS, then a SYN DNATed by kube-proxy to an nginx pod', () => {
    const r = run('kubectl exec netshoot -- curl -s http://web');
    expect(r.stdout).toBe(NGINX_WELCOME);
    const syn = r.traces!.at(-1)!;
    expect(syn.hops[0].packet).toMatchObject({ proto: 'tcp', dst: webIp, dstPort: 80 });
    expect(syn.hops.at(-1)!.netns).toMatch(/^pod\/default\/web-/);
  });

  it('-v prints curl 8 connection, request and response lines on stderr', () => {
    const r = run('kubectl exec netshoot -- curl -v http://web/');
    expect(r.stderr).toContain(`* Host web:80 was resolved.\n* IPv6: (none)\n* IPv4: ${webIp}\n*   Trying ${webIp}:80...\n* Connected to web (${webIp}) port 80\n> GET / HTTP/1.1\n> Host: web\n> User-Agent: curl/8.5.0\n> Accept: */*\n> \n< HTTP/1.1 200 OK\n< Server: nginx/1.27.3\n`);
    expect(r.stderr).toContain('< Content-Length: 615\n');
    expect(r.stderr).toMatch(/\* Connection #0 to host web left intact\n$/);
  });

  it('a pod IP directly; -o /dev/null -w %{http_code}; 404 for other paths', () => {
    expect(run(`kubectl exec netshoot -- curl -s -o /dev/null -w "HTTP %{http_code}" http://${podIp}`).stdout).toBe('HTTP 200');
    expect(run(`kubectl exec netshoot -- curl -s -o /dev/null -w '%{http_code}' http://${podIp}/nope`).stdout).toBe('404');
  });

  it('refused: a port nothing listens on, a Service without endpoints (kube-proxy REJECT)', () => {
    const r = run(`kubectl exec netshoot -- curl http://${podIp}:8080`);
    expect(r).toMatchObject({ status: 7 });
    expect(r.stderr).toMatch(new RegExp(`curl: \\(7\\) Failed to connect to ${podIp.replace(/\./g, '\\.')} port 8080 after \\d+ ms: Couldn't connect to server`));
    expect(run('kubectl exec netshoot -- curl http://empty').stderr).toMatch(/curl: \(7\) Failed to connect to empty port 80 after \d+ ms: Couldn't connect to server/);
  });

  it('unknown names: curl (6)', () => {
    expect(run('kubectl exec netshoot -- curl http://nope')).toMatchObject({ stderr: expect.stringContaining('curl: (6) Could not resolve host: nope'), status: 6 });
  });

  it('the nginx pod that answered logs the request', () => {
    const sh = dnsShell(cluster);
    const r = sh.run('kubectl exec netshoot -- curl -s http://web');
    const pod = r.traces!.at(-1)!.hops.at(-1)!.netns.split('/')[2];
    expect(sh.run(`kubectl logs ${pod} --tail=1`).stdout).toMatch(/^10\.244\.2\.\d+ - - \[01\/Jan\/2024:00:05:06 \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/8\.5\.0" "-"\n$/);
  });

  it('dropped packets time out like the real clients (a tracer that drops everything)', () => {
    const drop = () => ({ verdict: 'dropped' as const, reason: 'policy', hops: [] });
    const sh = createShell({ cluster, trace: drop });
    expect(sh.run(`kubectl exec netshoot -- curl -s --connect-timeout 5 http://${podIp}`)).toMatchObject({ status: 28 });
    expect(sh.run(`kubectl exec netshoot -- curl -sS --connect-timeout 5 http://${podIp}`).stderr).toMatch(/^curl: \(28\) Connection timed out after 5001 milliseconds\n/);
    expect(sh.run('kubectl exec client -- nslookup web').stdout).toBe(';; connection timed out; no servers could be reached\n\n');
    expect(sh.run('kubectl exec netshoot -- dig web.default.svc.cluster.local').stdout).toMatch(/^;; communications error to 10\.96\.0\.10#53: timed out\n/);
    expect(sh.run('kubectl exec old-busybox -- nslookup web').stderr).toContain("nslookup: can't resolve 'web'");
    expect(sh.run('kubectl exec netshoot -- curl -sS -m 3 http://web').stderr).toMatch(/^curl: \(28\) Resolving timed out after 3001 milliseconds\n/);
    expect(sh.run('kubectl exec netshoot -- curl -sS http://web')).toMatchObject({ stderr: expect.stringMatching(/^curl: \(6\) Could not resolve host: web\n/), status: 6 });
    // No server answered: getaddrinfo's EAI_AGAIN, not EAI_NONAME (a name that does not exist).
    expect(sh.run('kubectl exec netshoot -- nc -zv -w 3 web 80').stderr).toMatch(/^nc: getaddrinfo for host "web" port 80: Temporary failure in name resolution\n/);
    expect(run('kubectl exec netshoot -- nc -zv -w 3 nope 80').stderr).toMatch(/^nc: getaddrinfo for host "nope" port 80: Name or service not known\n/);
  });

  it('a default-deny egress NetworkPolicy (Calico enforces it) makes nslookup and curl time out; Flannel ignores it', () => {
    const denyEgress = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny-egress, namespace: default}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n';
    const withPolicy = (c: typeof cluster) => {
      const r = applyManifests(c, [{ name: 'deny.yaml', text: denyEgress }]);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.value.cluster;
    };
    const calico = setCni(cluster, 'calico');
    if (!calico.ok) throw new Error(JSON.stringify(calico.errors));
    const sh = dnsShell(withPolicy(calico.value));
    expect(sh.run('kubectl exec client -- nslookup web').stdout).toBe(';; connection timed out; no servers could be reached\n\n');
    const pod = [...calico.value.pods.values()].find((p) => p.meta.labels.app === 'web')!;
    expect(sh.run(`kubectl exec netshoot -- curl -sS --connect-timeout 5 http://${formatIpv4(pod.attachment!.ip)}`).stderr).toMatch(/^curl: \(28\) Connection timed out after 5001 milliseconds\n/);
    // Flannel stores the policy but nothing enforces it: the name still resolves.
    expect(dnsShell(withPolicy(cluster)).run('kubectl exec client -- nslookup web').stdout).toContain(`Address: ${webIp}`);
  });
});

describe('wget and nc', () => {
  it('BusyBox wget -qO- and -O-', () => {
    expect(run('kubectl exec client -- wget -qO- http://web').stdout).toBe(NGINX_WELCOME);
    const r = run('kubectl exec client -- wget -O- http://web');
    expect(r.stderr).toBe(`Connecting to web (${webIp}:80)\nwriting to stdout\n-                    100% |********************************|     615  0:00:00 ETA\nwritten to stdout\n`);
    expect(run('kubectl exec client -- wget -qO- http://nope').stderr).toMatch(/^wget: bad address 'nope'\n/);
  });

  it('nc -zv to the DNS Service (TCP 53) and to a closed port', () => {
    expect(run('kubectl exec client -- nc -zv 10.96.0.10 53').stderr).toBe('10.96.0.10 (10.96.0.10:53) open\n');
    expect(run('kubectl exec netshoot -- nc -zv web 80').stderr).toBe(`Connection to web (${webIp}) 80 port [tcp/http] succeeded!\n`);
    expect(run(`kubectl exec client -- nc -zv ${podIp} 81`)).toMatchObject({ stderr: expect.stringMatching(new RegExp(`^nc: ${podIp} \\(${podIp}:81\\): Connection refused\n`)), status: 1 });
  });
});

describe('ping by name', () => {
  it('asks CoreDNS first (search list, each query traced), then pings the ClusterIP, which nothing answers in iptables mode', () => {
    const r = run('kubectl exec netshoot -- ping -c 1 -W 1 web');
    expect(r.stdout).toMatch(new RegExp(`^PING web\\.default\\.svc\\.cluster\\.local \\(${webIp.replace(/\./g, '\\.')}\\) 56\\(84\\) bytes of data\\.`));
    expect(r.stdout).toContain('1 packets transmitted, 0 received, 100% packet loss');
    const dns = r.traces!.filter((t) => t.hops[0].packet.proto === 'udp');
    expect(dns.length).toBeGreaterThan(0);
    expect(dns[0].hops[0].packet).toMatchObject({ dst: '10.96.0.10', dstPort: 53 });
    expect(r.traces!.at(-1)!.hops[0].packet).toMatchObject({ proto: 'icmp', dst: webIp });
  });

  it('a name nobody knows: the resolver gives up after the search list', () => {
    const r = run('kubectl exec netshoot -- ping -c 1 nope');
    expect(r.stderr).toBe('ping: nope: Name or service not known\ncommand terminated with exit code 2\n');
    expect(r.traces!.every((t) => t.hops[0].packet.proto === 'udp')).toBe(true);
  });
});

describe('ping -c N is bounded', () => {
  it('a count past PING_INTERRUPT_AFTER stops as on Ctrl-C: ^C, then the statistics of what was sent', () => {
    const r = run(`kubectl exec netshoot -- ping -c 100000 ${podIp}`);
    expect(r.stdout.split('\n').filter((l) => l.includes('bytes from')).length).toBe(PING_INTERRUPT_AFTER);
    expect(r.stdout).toContain(`^C\n--- ${podIp} ping statistics ---\n${PING_INTERRUPT_AFTER} packets transmitted, ${PING_INTERRUPT_AFTER} received, 0% packet loss`);
    expect(r.status).toBe(0);
    const few = run(`kubectl exec netshoot -- ping -c 3 ${podIp}`).stdout;
    expect(few).toContain(`icmp_seq=3 `);
    expect(few).toContain(`\n\n--- ${podIp} ping statistics ---\n3 packets transmitted, 3 received`);
    // Without -c ping runs until Ctrl-C: the simulated user presses it after 4 replies.
    expect(run(`kubectl exec netshoot -- ping ${podIp}`).stdout).toContain(`: icmp_seq=4 ttl=`);
    expect(run(`kubectl exec netshoot -- ping ${podIp}`).stdout).toContain(`^C\n--- ${podIp} ping statistics ---\n4 packets transmitted`);
  });
});

describe('nc port operands', () => {
  it('OpenBSD netcat scans a range (bounded as a user would ^C it); BusyBox takes one port', () => {
    const r = run('kubectl exec netshoot -- nc -zv web 75-85');
    expect(r.stderr).toContain(`Connection to web (${webIp}) 80 port [tcp/http] succeeded!\n`);
    expect(r.stderr).not.toContain('NaN');
    expect(r.status).toBe(0);
    const big = run('kubectl exec netshoot -- nc -z web 1-65535');
    expect(big.stderr.startsWith('^C\n')).toBe(true);
    expect(big.traces!.filter((t) => t.hops[0]?.packet.proto === 'tcp').length).toBeLessThanOrEqual(NC_SCAN_LIMIT);
    const exit1 = 'command terminated with exit code 1\n';
    expect(run('kubectl exec netshoot -- nc -zv web 70000')).toMatchObject({ stderr: 'nc: port number too large: 70000\n' + exit1, status: 1 });
    expect(run('kubectl exec netshoot -- nc -zv web abc').stderr).toBe('nc: service "abc" unknown\n' + exit1);
    expect(run('kubectl exec client -- nc -zv web 1-65535')).toMatchObject({ stderr: "nc: bad port '1-65535'\n" + exit1, status: 1 });
  });
});
