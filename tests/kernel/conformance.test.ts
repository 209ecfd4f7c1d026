/**
 * Does podpath agree with the Linux kernel? For every exportable CNI mode and a few clusters, the
 * export script builds the cluster in real network namespaces, and each prediction is checked
 * against what the kernel does:
 *   - ping between every pair of pods (reachability);
 *   - `traceroute -n` hop addresses against podpath's traceroute();
 *   - every device's MTU (and MAC) against `ip -j link`;
 *   - the size on the wire of a ping crossing the node network, captured with tcpdump on the
 *     sending node's cable (VXLAN +50 bytes, IPIP +20), against the trace's wire hop;
 *   - ClusterIP connections: only the Service's endpoints answer, spread as predicted;
 *   - the bridge-netfilter case (bridge-nf-call-iptables=0 breaks same-node Service replies).
 * A disagreement fails with both sides printed. A mode this machine cannot build is skipped with
 * the exact reason, and every lab is taken down afterwards, also when a check fails.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIpv4, loadCluster, type Cluster, type CniMode } from '../../src/engine/index';
import { ping, trace, traceroute } from '../../src/engine/trace/tracer';
import { networkOf } from '../../src/engine/cni/network';
import { EXPORTABLE_MODES, labNames } from '../../src/engine/export/index';
import { kubeProxyExport } from '../../src/engine/export/kubeProxyRules';
import { connectMany, fits, predictedFates, ruleProbabilities, serviceUnderTest, withNodeSysctl } from './services';
import type { PodRec } from '../../src/engine/model/cluster';
import type { NetnsId } from '../../src/engine/model/ids';
import { deviceProblem, hostProblem } from './host';
import { exec, Lab, pool } from './lab';

const CLUSTERS: Record<string, string> = {
  demo: readFileSync(new URL('../../src/scenarios/demo.yaml', import.meta.url), 'utf8'),
  duo: readFileSync(new URL('./clusters/duo.yaml', import.meta.url), 'utf8'),
};

/** Device types a mode's lab needs beyond what every lab uses. */
const NEEDS: Record<string, ('vxlan' | 'ipip')[]> = { flannel: ['vxlan'], 'calico-vxlan': ['vxlan'], 'calico-ipip': ['ipip'] };

function load(name: string, mode: CniMode): Cluster {
  const text = CLUSTERS[name].replace(/^(\s*cni:\s*)\S+/m, `$1${mode}`);
  const r = loadCluster([{ name: `${name}.yaml`, text }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

function skipReason(mode: CniMode): string | undefined {
  return hostProblem() ?? deviceProblem('veth') ?? deviceProblem('bridge') ?? (NEEDS[mode] ?? []).map((k) => deviceProblem(k)).find(Boolean);
}

const podKey = (p: PodRec) => `${p.meta.namespace ?? 'default'}/${p.meta.name}`;
const podsOf = (c: Cluster) => [...c.pods.values()].filter((p) => !p.hostNetwork && p.attachment);
const ipOf = (p: PodRec) => formatIpv4(p.attachment!.ip);
/** The scenario's client: a default-namespace pod that declares no ports. */
const clientPod = (c: Cluster) => podsOf(c).find((p) => (p.meta.namespace ?? 'default') === 'default' && p.containers.every((k) => k.ports.length === 0))!;

/** Disagreements, printed both sides; the test fails when there is any. */
class Disagreements {
  readonly list: string[] = [];
  check(what: string, podpath: unknown, kernel: unknown) {
    const a = JSON.stringify(podpath);
    const b = JSON.stringify(kernel);
    if (a !== b) this.list.push(`${what}\n    podpath: ${a}\n    kernel:  ${b}`);
  }
  assert() {
    expect(this.list, `podpath and the kernel disagree:\n  ${this.list.join('\n  ')}`).toEqual([]);
  }
}

/** Parse `traceroute -n -q1` output: one address (or '*') per hop. */
function tracerouteHops(stdout: string): string[] {
  return stdout
    .split('\n')
    .slice(1)
    .map((l) => /^\s*\d+\s+(\S+)/.exec(l)?.[1])
    .filter((a): a is string => a !== undefined);
}

/** Start tcpdump for one frame and resolve once it listens; `done` gives the frame's length. */
function capture(ns: string, dev: string, filter: string): Promise<{ done: Promise<number | undefined> }> {
  return new Promise((ready, fail) => {
    const child = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-i', dev, '-Q', 'in', '-n', '-e', '-l', '-c', '1', filter], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const done = new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.on('close', () => {
        clearTimeout(timer);
        const m = /length (\d+):/.exec(out);
        resolve(m ? Number(m[1]) : undefined);
      });
    });
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      if (err.includes('listening on')) ready({ done });
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (!err.includes('listening on')) fail(new Error(`tcpdump exited (${code}): ${err}`));
    });
  });
}

for (const mode of EXPORTABLE_MODES) {
  const reason = skipReason(mode);
  if (reason) console.warn(`kernel conformance: ${mode} skipped: ${reason}`);
  describe.skipIf(reason !== undefined)(`${mode}${reason ? ` (skipped: ${reason})` : ''}`, () => {
    for (const clusterName of Object.keys(CLUSTERS)) {
      describe(`cluster ${clusterName}`, () => {
        const cluster = load(clusterName, mode);
        let lab: Lab | undefined;

        beforeAll(async () => {
          lab = new Lab(cluster);
          lab.up();
          // The kernel rate-limits ICMP errors per destination (icmp_ratelimit: a burst of 6, then one a
          // second); podpath models no rate limits, so the lab lets every time-exceeded/unreachable out.
          await pool(lab.allNamespaces(), 16, (ns) => exec1(['netns', 'exec', ns, 'sh', '-c', 'echo 0 > /proc/sys/net/ipv4/icmp_ratelimit']));
        });
        afterAll(() => lab?.down());

        it('reachability: ping between every pair of pods', async () => {
          const d = new Disagreements();
          const pods = podsOf(cluster);
          const pairs = pods.flatMap((a) => pods.filter((b) => b !== a).map((b) => [a, b] as const));
          const results = await pool(pairs, 24, async ([a, b]) => {
            const p = ping(cluster, podKey(a), podKey(b)).result;
            const predicted = p.verdict === 'delivered' && p.reply?.verdict === 'delivered';
            const k = await lab!.inNs(`pod/${podKey(a)}`, ['ping', '-c1', '-W1', '-q', ipOf(b)]);
            return { what: `ping ${podKey(a)} → ${podKey(b)} (${ipOf(b)})`, predicted: predicted ? 'reply' : `no reply (${p.reply?.reason ?? p.reason})`, kernel: k.status === 0 ? 'reply' : 'no reply' };
          });
          for (const r of results) {
            if ((r.predicted === 'reply') !== (r.kernel === 'reply')) d.check(r.what, r.predicted, r.kernel);
          }
          d.assert();
        });

        it('traceroute -n: the same hop addresses', async () => {
          const d = new Disagreements();
          const pods = podsOf(cluster);
          const sources = pods.filter((p) => (p.meta.namespace ?? 'default') === 'default');
          const pairs = sources.flatMap((a) => pods.filter((b) => b !== a).map((b) => [a, b] as const));
          await pool(pairs, 8, async ([a, b]) => {
            const predicted = traceroute(cluster, podKey(a), ipOf(b), { maxTtl: 8 }).map((h) => h.address ?? '*');
            const k = await lab!.inNs(`pod/${podKey(a)}`, ['traceroute', '-n', '-q', '1', '-w', '1', '-N', '1', '-m', String(predicted.length), ipOf(b)]);
            d.check(`traceroute ${podKey(a)} → ${ipOf(b)}`, predicted, tracerouteHops(k.stdout));
          });
          d.assert();
        });

        it('every device has the MTU (and MAC) podpath shows', async () => {
          const d = new Disagreements();
          const net = networkOf(cluster);
          await pool(net.ids(), 16, async (id) => {
            const k = await exec1(['-n', lab!.ns(id), '-j', 'link', 'show']);
            const kernel = new Map((JSON.parse(k.stdout) as { ifname: string; mtu: number; address?: string }[]).map((l) => [l.ifname, l]));
            for (const link of net.get(id)!.links) {
              const real = kernel.get(link.name);
              d.check(`${id} ${link.name} mtu`, link.mtu, real?.mtu ?? 'missing');
              if (link.kind !== 'ipip') d.check(`${id} ${link.name} mac`, link.mac, real?.address ?? 'missing');
            }
          });
          d.assert();
        });

        it('a ping crossing the node network has the predicted size on the wire', async () => {
          const d = new Disagreements();
          const pods = podsOf(cluster);
          const pair = pods.flatMap((a) => pods.filter((b) => b.nodeName !== a.nodeName).map((b) => [a, b] as const))[0];
          expect(pair, 'the cluster has pods on two nodes').toBeDefined();
          const [a, b] = pair;
          const t = trace(cluster, { from: podKey(a), to: podKey(b), proto: 'icmp' });
          const wire = t.hops.find((h) => h.action === 'wire');
          expect(wire, `podpath's trace crosses the node network:\n${JSON.stringify(t.hops.map((h) => h.action))}`).toBeDefined();
          const encap = wire!.packet.encap;
          const node = cluster.nodes.find((n) => n.meta.name === a.nodeName)!;
          const filter = encap?.type === 'vxlan' ? `udp dst port ${encap.dstPort}` : encap?.type === 'ipip' ? 'ip proto 4' : `icmp[icmptype] == icmp-echo and dst host ${ipOf(b)}`;
          const nodeMac = networkOf(cluster).get(`node/${node.meta.name}` as NetnsId)!.links.find((l) => l.name === 'eth0')!.mac;
          const cap = await capture(lab!.ns('net'), labNames(cluster).cable.get(node.meta.name)!, `ether src ${nodeMac} and ${filter}`);
          await lab!.inNs(`pod/${podKey(a)}`, ['ping', '-c1', '-W1', '-q', ipOf(b)]);
          const size = await cap.done;
          d.check(`frame on the node network for ping ${podKey(a)} → ${ipOf(b)} (${encap?.type ?? 'no encapsulation'})`, wire!.packet.size, size ?? 'nothing captured');
          d.assert();
        });

        const kubeProxy = kubeProxyExport(cluster);
        const noRules = kubeProxy.rules ? undefined : kubeProxy.missing;

        it.skipIf(noRules !== undefined)(`ClusterIP connections reach only the endpoints, spread as predicted${noRules ? ` (skipped: ${noRules})` : ''}`, async () => {
          const d = new Disagreements();
          const svc = serviceUnderTest(cluster);
          const client = clientPod(cluster);
          const probability = ruleProbabilities(cluster, client.nodeName, svc.clusterIP, svc.port);
          d.check(`${svc.name}: endpoints in podpath's KUBE-SVC chain`, [...probability.keys()].sort(), [...svc.endpoints].sort());
          const n = 300;
          const got = await connectMany(lab!, podKey(client), svc.clusterIP, svc.port, n);
          const counts = new Map<string, number>();
          for (const g of got) counts.set(g, (counts.get(g) ?? 0) + 1);
          const strangers = [...counts.keys()].filter((k) => !probability.has(k));
          d.check(`${podKey(client)} → ${svc.clusterIP}:${svc.port}: answers from outside the Service's endpoints`, [], strangers.map((k) => `${k} ×${counts.get(k)}`));
          const fit = fits(counts, probability, n);
          console.log(`spread: ${cluster.config.name}/${mode} ${JSON.stringify(Object.fromEntries(counts))} chi2=${fit.chi2.toFixed(2)} (critical ${fit.critical})`);
          if (!fit.ok) {
            d.check(
              `${podKey(client)} → ${svc.clusterIP}:${svc.port}: spread over ${n} connections (chi-square ${fit.chi2.toFixed(1)} > ${fit.critical} at α=0.001)`,
              Object.fromEntries([...probability].map(([k, p]) => [k, Math.round(n * p)])),
              Object.fromEntries(counts),
            );
          }
          d.assert();
        });

        it.skipIf(noRules !== undefined)(`bridge-nf-call-iptables=0 breaks exactly the predicted connections${noRules ? ` (skipped: ${noRules})` : ''}`, async (t) => {
          const svc = serviceUnderTest(cluster);
          const client = clientPod(cluster);
          const nodeNs = lab!.ns(`node/${client.nodeName}`);
          const key = 'net.bridge.bridge-nf-call-iptables';
          if ((await exec1(['netns', 'exec', nodeNs, 'test', '-w', '/proc/sys/net/bridge/bridge-nf-call-iptables'])).status !== 0) {
            t.skip('br_netfilter is not loaded on this machine: /proc/sys/net/bridge/bridge-nf-call-iptables does not exist, so it cannot be set to 0');
          }
          const d = new Disagreements();
          const probability = ruleProbabilities(cluster, client.nodeName, svc.clusterIP, svc.port);
          const works = predictedFates(cluster, podKey(client), svc.clusterIP, svc.port, svc.endpoints, withNodeSysctl(client.nodeName, key, '0'));
          d.check(`${svc.name}: endpoints podpath's traces reached`, [...works.keys()].sort(), [...svc.endpoints].sort());
          await exec1(['netns', 'exec', nodeNs, 'sh', '-c', 'echo 0 > /proc/sys/net/bridge/bridge-nf-call-iptables']);
          try {
            const n = 150;
            const got = await connectMany(lab!, podKey(client), svc.clusterIP, svc.port, n, 3);
            const answered = new Map<string, number>();
            let broken = 0;
            for (const g of got) {
              if (probability.has(g)) answered.set(g, (answered.get(g) ?? 0) + 1);
              else broken++;
            }
            // Only endpoints podpath says work may answer; the share that breaks must match.
            const wrong = [...answered.keys()].filter((k) => works.get(k) !== true);
            d.check(`answers from endpoints podpath predicts broken (${podKey(client)} → ${svc.clusterIP} with ${key}=0 on ${client.nodeName})`, [], wrong);
            const q = [...probability].reduce((sum, [k, p]) => sum + (works.get(k) === false ? p : 0), 0);
            console.log(`bridge-nf: ${cluster.config.name}/${mode} broken ${broken}/${n}, predicted p=${q.toFixed(3)}`, JSON.stringify(Object.fromEntries(answered)));
            const z = q === 0 || q === 1 ? (broken === n * q ? 0 : Infinity) : (broken - n * q) / Math.sqrt(n * q * (1 - q));
            if (Math.abs(z) > 3.29) {
              d.check(`broken connections out of ${n} with ${key}=0 (|z| ${Math.abs(z).toFixed(1)} > 3.29)`, `${Math.round(n * q)} (p=${q.toFixed(3)}: ${[...works].filter(([, w]) => !w).map(([k]) => k).join(', ') || 'none'})`, broken);
            }
          } finally {
            await exec1(['netns', 'exec', nodeNs, 'sh', '-c', 'echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables']);
          }
          d.assert();
        });
      });
    }
  });
}

/** `ip ARGS…` (ip netns exec … / ip -n … link show): commands that only touch the lab's namespaces. */
function exec1(args: string[]) {
  return exec('ip', args);
}
