import { describe, expect, it } from 'vitest';
import { dnsCluster, dnsShell } from '../dns/dnsFixture';
import { servicesOf } from '../services/table';
import { formatIpv4 } from '../addressing/ipv4';

const cluster = dnsCluster();
const webIp = formatIpv4(servicesOf(cluster).byName.get('default/web')!.clusterIP!);
const run = (line: string) => dnsShell(cluster).run(line);

describe('nslookup', () => {
  it('BusyBox 1.36: search suffixes for a short name, A then AAAA replies in order, exit 1 on any NXDOMAIN', () => {
    const r = run('kubectl exec client -- nslookup web');
    expect(r.stdout).toBe(
      `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n` +
        `Name:\tweb.default.svc.cluster.local\nAddress: ${webIp}\n\n` +
        `** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n` +
        `\n** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n`,
    );
    expect(r.status).toBe(1);
    // Six queries, each a traced UDP packet to the kube-dns ClusterIP with its reply.
    expect(r.traces).toHaveLength(6);
    expect(r.traces!.every((t) => t.verdict === 'delivered' && t.reply?.verdict === 'delivered')).toBe(true);
    expect(r.traces![0].hops.at(-1)!.netns).toMatch(/^pod\/kube-system\/coredns-/);
  });

  it('BusyBox 1.36: a fully qualified name and an external one (separate AAAA block)', () => {
    expect(run('kubectl exec client -- nslookup kubernetes.default.svc.cluster.local').stdout).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n\n');
    expect(run('kubectl exec client -- nslookup google.com').stdout).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nNon-authoritative answer:\nName:\tgoogle.com\nAddress: 142.250.185.78\n\nNon-authoritative answer:\nName:\tgoogle.com\nAddress: 2a00:1450:4001:82a::200e\n\n',
    );
  });

  it('BusyBox 1.28 (getaddrinfo form, as the seed lesson shows)', () => {
    expect(run('kubectl exec old-busybox -- nslookup web').stdout).toBe(`Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: ${webIp} web.default.svc.cluster.local\n`);
    const r = run('kubectl exec old-busybox -- nslookup this-does-not-exist');
    expect(r.stderr).toContain("nslookup: can't resolve 'this-does-not-exist'");
  });

  it('bind-utils nslookup (netshoot): the search list by ndots, one answer', () => {
    expect(run('kubectl exec netshoot -- nslookup web').stdout).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${webIp}\n\n`);
    expect(run('kubectl exec netshoot -- nslookup postgres-0.postgres-headless.production').stdout).toContain('Name:\tpostgres-0.postgres-headless.production.svc.cluster.local\nAddress: 10.244.2.4');
    const nx = run('kubectl exec netshoot -- nslookup nope');
    expect(nx.stdout).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nope: NXDOMAIN\n\n");
    expect(nx.status).toBe(1);
  });
});

describe('dig', () => {
  it('the full 9.18 layout with the simulated clock and the wire size', () => {
    const r = run('kubectl exec netshoot -- dig web.default.svc.cluster.local');
    const id = /id: (\d+)/.exec(r.stdout)![1];
    expect(r.stdout).toBe(
      `\n; <<>> DiG 9.18.28 <<>> web.default.svc.cluster.local\n;; global options: +cmd\n;; Got answer:\n` +
        `;; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n` +
        `;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: ${id}\n;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n;; WARNING: recursion requested but not available\n\n` +
        `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n; COOKIE: ${/COOKIE: (\w+)/.exec(r.stdout)![1]} (echoed)\n` +
        `;; QUESTION SECTION:\n;web.default.svc.cluster.local.\tIN\tA\n\n` +
        `;; ANSWER SECTION:\nweb.default.svc.cluster.local. 30 IN\tA\t${webIp}\n\n` +
        `;; Query time: 0 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Mon Jan 01 00:05:06 UTC 2024\n;; MSG SIZE  rcvd: 86\n\n`,
    );
  });

  it('+short, SRV, -x, +search, NXDOMAIN with the SOA', () => {
    expect(run('kubectl exec netshoot -- dig +short web.default.svc.cluster.local').stdout).toBe(`${webIp}\n`);
    expect(run('kubectl exec netshoot -- dig +short SRV _http._tcp.web.default.svc.cluster.local').stdout).toBe('0 100 80 web.default.svc.cluster.local.\n');
    expect(run('kubectl exec netshoot -- dig -x 10.96.0.10 +noall +answer').stdout).toBe('10.0.96.10.in-addr.arpa. 30\tIN\tPTR\tkube-dns.kube-system.svc.cluster.local.\n');
    expect(run('kubectl exec netshoot -- dig +search +short web').stdout).toBe(`${webIp}\n`);
    expect(run('kubectl exec netshoot -- dig +short google.com').stdout).toBe('142.250.185.78\n');
    const nx = run('kubectl exec netshoot -- dig nope.default.svc.cluster.local');
    expect(nx.stdout).toContain('status: NXDOMAIN');
    expect(nx.stdout).toContain(';; AUTHORITY SECTION:\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. ');
  });
});

describe('host, getent, resolv.conf', () => {
  it('host follows the search list and CNAMEs of ExternalName Services', () => {
    expect(run('kubectl exec netshoot -- host web').stdout).toBe(`web.default.svc.cluster.local has address ${webIp}\n`);
    expect(run('kubectl exec netshoot -- host docs').stdout).toBe('docs.default.svc.cluster.local is an alias for example.com.\nexample.com has address 93.184.216.34\nexample.com has IPv6 address 2606:2800:220:1:248:1893:25c8:1946\n');
    expect(run('kubectl exec netshoot -- host nope')).toMatchObject({ stdout: 'Host nope not found: 3(NXDOMAIN)\n', status: 1 });
  });

  it('getent hosts (glibc)', () => {
    expect(run('kubectl exec dnsutils -- getent hosts kubernetes').stdout).toBe('10.96.0.1       kubernetes.default.svc.cluster.local\n');
    expect(run('kubectl exec dnsutils -- getent hosts nope').status).toBe(2);
  });
});

/** The DNS questions a command's traced packets carried, in order (`AAAA name.`). */
const questions = (r: ReturnType<typeof run>) => r.traces!.map((t) => t.hops[0].repr?.dns?.question).map((q) => `${q?.type} ${q?.name}`);

describe('getent hosts through the pod resolver: glibc vs musl', () => {
  const c = dnsCluster(`
---
apiVersion: v1
kind: Pod
metadata: {name: alp}
spec:
  nodeName: worker-1
  containers: [{name: a, image: alpine:3.20, command: [sleep, infinity]}]
---
apiVersion: v1
kind: Service
metadata: {name: web-alias}
spec: {type: ExternalName, externalName: web.default.svc.cluster.local}
`);
  const sh = (line: string) => dnsShell(c).run(line);

  // nss/getent.c hosts_keys: gethostbyname2(AF_INET6), then AF_INET. glibc's res_search goes on
  // through the whole search list after NODATA (resolv/res_query.c __res_context_search).
  it('glibc: AAAA over every search name and the bare name, then A; `%-15s name aliases`', () => {
    const r = sh('kubectl exec dnsutils -- getent hosts kubernetes');
    expect(r.stdout).toBe('10.96.0.1       kubernetes.default.svc.cluster.local\n');
    expect(questions(r)).toEqual([
      'AAAA kubernetes.default.svc.cluster.local.',
      'AAAA kubernetes.svc.cluster.local.',
      'AAAA kubernetes.cluster.local.',
      'AAAA kubernetes.',
      'A kubernetes.default.svc.cluster.local.',
    ]);
    expect(r.traces!.every((t) => t.verdict === 'delivered' && t.reply?.verdict === 'delivered')).toBe(true);
    // A CNAME's owner is an alias (resolv/nss_dns getanswer_r); h_name is the final name.
    expect(sh('kubectl exec dnsutils -- getent hosts web-alias').stdout).toBe(`${webIp.padEnd(15)} web.default.svc.cluster.local web-alias.default.svc.cluster.local\n`);
  });

  // musl src/network/lookup_name.c name_from_dns_search: NODATA (EAI_NODATA) ends the search;
  // gethostbyname2_r: h_aliases = {canonical, name as asked}; Alpine's getent prints `%-16s  %s`.
  it('musl (Alpine): NODATA ends the AAAA search at once, then A; `%-16s  name  aliases`', () => {
    const r = sh('kubectl exec alp -- getent hosts kubernetes');
    expect(r.stdout).toBe('10.96.0.1         kubernetes.default.svc.cluster.local  kubernetes.default.svc.cluster.local kubernetes\n');
    expect(questions(r)).toEqual(['AAAA kubernetes.default.svc.cluster.local.', 'A kubernetes.default.svc.cluster.local.']);
    // At least ndots dots: musl asks the name as given only (glibc would try it first, then the search list).
    expect(questions(sh('kubectl exec alp -- getent hosts a.b.c.d.e.example'))).toEqual(['AAAA a.b.c.d.e.example.', 'A a.b.c.d.e.example.']);
    expect(sh('kubectl exec alp -- getent hosts a.b.c.d.e.example').status).toBe(2);
  });

  it('reverse: glibc prints the PTR name; musl the name twice (h_aliases[0] is h_name)', () => {
    expect(sh('kubectl exec dnsutils -- getent hosts 10.96.0.10').stdout).toBe('10.96.0.10      kube-dns.kube-system.svc.cluster.local\n');
    expect(sh('kubectl exec alp -- getent hosts 10.96.0.10').stdout).toBe('10.96.0.10        kube-dns.kube-system.svc.cluster.local  kube-dns.kube-system.svc.cluster.local\n');
  });

  // musl src/network/res_msend.c sends each query to every nameserver at once; glibc asks the
  // first and moves on only after a timeout (resolv/res_send.c).
  it('musl asks every nameserver at once, glibc the first one', () => {
    const two = dnsCluster(`
---
apiVersion: v1
kind: Pod
metadata: {name: alp2}
spec:
  nodeName: worker-1
  dnsConfig: {nameservers: [192.168.1.1]}
  containers: [{name: a, image: alpine:3.20, command: [sleep, infinity]}]
---
apiVersion: v1
kind: Pod
metadata: {name: deb2}
spec:
  nodeName: worker-1
  dnsConfig: {nameservers: [192.168.1.1]}
  containers: [{name: a, image: debian:12, command: [sleep, infinity]}]
`);
    const musl = dnsShell(two).run('kubectl exec alp2 -- getent hosts kubernetes');
    expect(musl.stdout).toBe('10.96.0.1         kubernetes.default.svc.cluster.local  kubernetes.default.svc.cluster.local kubernetes\n');
    const to = (r: typeof musl) => r.traces!.map((t) => `${t.hops[0].repr?.dns?.question.type} ${t.hops[0].packet?.dst}`);
    expect(to(musl)).toEqual(['AAAA 10.96.0.10', 'AAAA 192.168.1.1', 'A 10.96.0.10', 'A 192.168.1.1']);
    const glibc = dnsShell(two).run('kubectl exec deb2 -- getent hosts kubernetes');
    expect(to(glibc).every((q) => q.endsWith(' 10.96.0.10'))).toBe(true);
  });

  it('stops at the first key not found (status 2); the busybox image has no getent', () => {
    expect(sh('kubectl exec dnsutils -- getent hosts nope kubernetes')).toMatchObject({ stdout: '', status: 2 });
    expect(sh('kubectl exec old-busybox -- getent hosts kubernetes')).toMatchObject({ status: 127 });
  });

  it('dnsPolicy Default and None with dnsConfig', () => {
    const c = dnsCluster(`
---
apiVersion: v1
kind: Pod
metadata: {name: hostdns}
spec:
  dnsPolicy: Default
  containers: [{name: c, image: busybox:1.36}]
---
apiVersion: v1
kind: Pod
metadata: {name: custom}
spec:
  dnsPolicy: None
  dnsConfig: {nameservers: [1.1.1.1], searches: [corp.example], options: [{name: ndots, value: "2"}]}
  containers: [{name: c, image: busybox:1.36}]
`);
    expect(dnsShell(c).run('kubectl exec hostdns -- cat /etc/resolv.conf').stdout).toBe('nameserver 192.168.1.1\noptions edns0 trust-ad\n');
    expect(dnsShell(c).run('kubectl exec custom -- cat /etc/resolv.conf').stdout).toBe('search corp.example\nnameserver 1.1.1.1\noptions ndots:2\n');
  });
});

describe('kubectl logs', () => {
  it('CoreDNS startup lines, and one log-plugin line per query when the Corefile enables log', () => {
    const c = dnsCluster(`
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        log
        errors
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        forward . /etc/resolv.conf
        cache 30
    }
`);
    const sh = dnsShell(c);
    sh.run('kubectl exec client -- nslookup kubernetes.default.svc.cluster.local');
    const logs = sh.run('kubectl logs -n kube-system -l k8s-app=kube-dns --tail=20').stdout;
    expect(logs).toMatch(/^\.:53\n\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\nCoreDNS-1\.11\.3\nlinux\/amd64, go1\.21\.11, a6338e9\n/);
    expect(logs).toMatch(/\[INFO\] 10\.244\.1\.5:\d+ - \d+ "A IN kubernetes\.default\.svc\.cluster\.local\. udp 54 false 512" NOERROR qr,aa,rd 70 0\.\d+s\n/);
    expect(logs).toMatch(/"AAAA IN kubernetes\.default\.svc\.cluster\.local\. udp 54 false 512" NOERROR qr,aa,rd \d+ /);
    // Without `log` (kubeadm's Corefile) no query lines.
    const plain = dnsShell(cluster);
    plain.run('kubectl exec client -- nslookup web');
    expect(plain.run('kubectl logs -n kube-system -l k8s-app=kube-dns').stdout).not.toContain('IN web');
  });
});
