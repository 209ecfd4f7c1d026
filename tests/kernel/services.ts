/**
 * What podpath predicts for connections to a ClusterIP, and how the kernel's are measured.
 *
 * Prediction: the endpoints and probabilities of the node's KUBE-SVC chain in podpath's
 * iptables-save (each `-m statistic --mode random --probability p` rule takes p of what reaches
 * it), and, per endpoint, whether podpath's trace of a connection that lands there gets its
 * SYN-ACK back. Podpath's endpoint choice is a hash of the cluster seed and the flow, so tracing
 * under a few seeds reaches every endpoint.
 *
 * Measurement: a small Python client in the client pod's namespace opens many connections at once
 * (each a new source port, so a new conntrack entry and a new random choice) and prints what each
 * responder answered: the endpoint pod's name, or TIMEOUT / ERR.
 */
import { formatIpv4, networkOf, type Cluster } from '../../src/engine/index';
import { iptablesSave, kubeProxyHooks } from '../../src/engine/kubeproxy/index';
import { trace } from '../../src/engine/trace/tracer';
import { servicesOf } from '../../src/engine/services/table';
import type { Lab } from './lab';

export interface Predicted {
  /** endpoint pod `namespace/name` → probability. */
  probability: Map<string, number>;
  /** endpoint pod → podpath's trace of a connection DNATed there completes the handshake. */
  works: Map<string, boolean>;
}

/** The chain walk: KUBE-SERVICES → KUBE-SVC → KUBE-SEP → DNAT target, with the statistic probabilities. */
export function ruleProbabilities(cluster: Cluster, node: string, clusterIP: string, port: number): Map<string, number> {
  const lines = iptablesSave(cluster, node, 'nat').split('\n');
  const svcRule = lines.find((l) => l.startsWith('-A KUBE-SERVICES ') && l.includes(` -d ${clusterIP}/32 `) && l.includes(`--dport ${port} `));
  const svcChain = svcRule && /-j (KUBE-SVC-\S+)/.exec(svcRule)?.[1];
  if (!svcChain) throw new Error(`podpath has no KUBE-SERVICES rule for ${clusterIP}:${port} on ${node}`);
  const byIp = new Map<string, string>();
  for (const p of cluster.pods.values()) if (p.attachment) byIp.set(formatIpv4(p.attachment.ip), `${p.meta.namespace ?? 'default'}/${p.meta.name}`);
  const out = new Map<string, number>();
  let remaining = 1;
  for (const l of lines.filter((x) => x.startsWith(`-A ${svcChain} `) && / -j KUBE-SEP-/.test(x))) {
    const sep = /-j (KUBE-SEP-\S+)/.exec(l)![1];
    const p = Number(/--probability (\S+)/.exec(l)?.[1] ?? '1');
    const dnat = lines.find((x) => x.startsWith(`-A ${sep} `) && x.includes('--to-destination'))!;
    const ip = /--to-destination ([\d.]+)/.exec(dnat)![1];
    out.set(byIp.get(ip) ?? ip, remaining * p);
    remaining *= 1 - p;
  }
  return out;
}

/** Per endpoint: does podpath's trace of a connection that lands there complete? `tweak` adjusts each variant's network. */
export function predictedFates(cluster: Cluster, from: string, clusterIP: string, port: number, endpoints: string[], tweak: (c: Cluster) => void): Map<string, boolean> {
  const works = new Map<string, boolean>();
  for (let seed = 1; seed <= 400 && works.size < endpoints.length; seed++) {
    const variant: Cluster = { ...cluster, config: { ...cluster.config, seed } };
    tweak(variant);
    const t = trace(variant, { from, to: clusterIP, proto: 'tcp', port }, { hooks: kubeProxyHooks(variant) });
    const last = t.hops[t.hops.length - 1];
    const ep = last?.netns.startsWith('pod/') ? last.netns.slice(4) : undefined;
    if (t.verdict !== 'delivered' || !ep || works.has(ep)) continue;
    works.set(ep, t.reply?.verdict === 'delivered');
  }
  return works;
}

/** The default-namespace ClusterIP Service with the most ready endpoints (the scenario's "web"). */
export function serviceUnderTest(cluster: Cluster) {
  const svc = servicesOf(cluster)
    .services.filter((s) => s.namespace === 'default' && s.name !== 'kubernetes' && s.clusterIP !== null && s.ports.some((p) => p.protocol === 'TCP'))
    .sort((a, b) => b.endpoints.length - a.endpoints.length)[0];
  if (!svc) throw new Error('the scenario has no ClusterIP Service');
  return { name: `${svc.namespace}/${svc.name}`, clusterIP: formatIpv4(svc.clusterIP!), port: svc.ports.find((p) => p.protocol === 'TCP')!.port, endpoints: svc.endpoints.filter((e) => e.pod && e.ready).map((e) => `${e.pod!.namespace}/${e.pod!.name}`) };
}

/** Set a bridge sysctl in a copy-on-write way on a variant's node namespace (podpath's what-if). */
export function withNodeSysctl(node: string, key: string, value: string) {
  return (c: Cluster) => {
    const ns = networkOf(c).get(`node/${node}` as never);
    if (ns) ns.sysctl[key] = value;
  };
}

const CLIENT_PY = String.raw`import os, selectors, socket, sys, time
ip, port, n, batch, timeout = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
out = []
for start in range(0, n, batch):
    sel = selectors.DefaultSelector()
    k = min(batch, n - start)
    res = ['TIMEOUT'] * k
    buf = [b''] * k
    for i in range(k):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((ip, port))
        sel.register(s, selectors.EVENT_WRITE, i)
    pending = k
    deadline = time.time() + timeout
    while pending and time.time() < deadline:
        for key, ev in sel.select(max(0.0, deadline - time.time())):
            s, i = key.fileobj, key.data
            if ev & selectors.EVENT_WRITE:
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    res[i] = 'ERR ' + os.strerror(err)
                    sel.unregister(s); s.close(); pending -= 1
                    continue
                s.send(b'GET / HTTP/1.0\r\n\r\n')
                sel.modify(s, selectors.EVENT_READ, i)
                continue
            try:
                d = s.recv(4096)
            except OSError as e:
                d = b''
                res[i] = 'ERR ' + str(e)
            if d:
                buf[i] += d
                continue
            if buf[i]:
                res[i] = buf[i].decode().strip().split('\n')[-1]
            sel.unregister(s); s.close(); pending -= 1
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    out.extend(res)
print('\n'.join(out))`;

/** Open `n` connections from a pod to ip:port; what each one got back. */
export async function connectMany(lab: Lab, fromPod: string, ip: string, port: number, n: number, timeoutS = 3): Promise<string[]> {
  const r = await lab.inNs(`pod/${fromPod}`, ['python3', '-c', CLIENT_PY, ip, String(port), String(n), '50', String(timeoutS)], 120_000);
  if (r.status !== 0) throw new Error(`client failed: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

/** Pearson's chi-square critical values at α = 0.001, by degrees of freedom. */
const CHI2_001 = [0, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88, 29.59];

/** Whether observed counts fit the predicted probabilities (chi-square, α = 0.001), with the statistic. */
export function fits(counts: Map<string, number>, probability: Map<string, number>, n: number): { ok: boolean; chi2: number; critical: number } {
  const cells = [...probability].filter(([, p]) => p > 0);
  let chi2 = 0;
  for (const [k, p] of cells) chi2 += ((counts.get(k) ?? 0) - n * p) ** 2 / (n * p);
  const critical = CHI2_001[Math.min(cells.length - 1, CHI2_001.length - 1)] ?? 0;
  return { ok: cells.length <= 1 || chi2 <= critical, chi2, critical };
}
