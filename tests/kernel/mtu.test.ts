/**
 * MTU mismatches against the kernel: the demo cluster (Flannel, pods MTU 1450) with the client
 * pod's eth0 raised to 1500 (`ip link set dev eth0 mtu 1500`, Cluster.linkMtus), exported and
 * built in real namespaces. For DF pings of growing size to a pod on another node, podpath's
 * verdict must match the kernel's (reply or not), and where podpath predicts the silent veth
 * drop (is_skb_forwardable: frame > peer MTU + 14 + 4), the host end's rx_dropped counter must
 * grow by exactly the pings sent, and stay put where podpath predicts no such drop.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIpv4, loadCluster, type Cluster } from '../../src/engine/index';
import { withLinkMtu } from '../../src/engine/cni/linkMtus';
import { networkOf } from '../../src/engine/cni/network';
import { ping } from '../../src/engine/trace/tracer';
import type { PodRec } from '../../src/engine/model/cluster';
import type { NetnsId } from '../../src/engine/model/ids';
import { deviceProblem, hostProblem } from './host';
import { exec, Lab } from './lab';

const demo = readFileSync(new URL('../../src/scenarios/demo.yaml', import.meta.url), 'utf8').replace(/^(\s*cni:\s*)\S+/m, '$1flannel');
const reason = hostProblem() ?? deviceProblem('veth') ?? deviceProblem('bridge') ?? deviceProblem('vxlan');
if (reason) console.warn(`kernel MTU test skipped: ${reason}`);

const key = (p: PodRec) => `${p.meta.namespace ?? 'default'}/${p.meta.name}`;

describe.skipIf(reason !== undefined)(`MTU: a pod's eth0 above its veth peer${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let cluster: Cluster;
  let lab: Lab | undefined;
  let a: PodRec;
  let b: PodRec;
  let hostEnd: string;

  beforeAll(() => {
    const r = loadCluster([{ name: 'demo.yaml', text: demo }]);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const pods = [...r.value.pods.values()].filter((p) => !p.hostNetwork && p.attachment && (p.meta.namespace ?? 'default') === 'default');
    a = pods[0];
    b = pods.find((p) => p.nodeName !== a.nodeName)!;
    cluster = withLinkMtu(r.value, `pod/${key(a)}`, 'eth0', 1500);
    hostEnd = networkOf(cluster).get(`pod/${key(a)}` as NetnsId)!.links.find((l) => l.name === 'eth0')!.peer!.name;
    lab = new Lab(cluster);
    lab.up();
  });
  afterAll(() => lab?.down());

  const rxDropped = async () => {
    const k = await exec('ip', ['-n', lab!.ns(`node/${a.nodeName}`), '-s', '-j', 'link', 'show', 'dev', hostEnd]);
    return (JSON.parse(k.stdout) as { stats64: { rx: { dropped: number } } }[])[0].stats64.rx.dropped;
  };

  it('DF pings of 1500, 1455, 1450 and 1454 bytes: the same fate, and rx_dropped where podpath drops at the veth', async () => {
    const podMtu = networkOf(cluster).get(`pod/${key(b)}` as NetnsId)!.links.find((l) => l.name === 'eth0')!.mtu;
    expect(podMtu).toBe(1450);
    const problems: string[] = [];
    // Largest first: a 1454-byte packet passes the veth (VLAN_HLEN's 4 bytes of slack) and earns
    // an ICMP frag-needed from the node, which the pod's kernel caches as the path MTU; after that
    // a larger DF ping fails locally (EMSGSIZE) without leaving the pod. podpath keeps no PMTU cache.
    for (const ipBytes of [1500, 1455, 1450, 1454]) {
      const size = ipBytes - 28;
      const t = ping(cluster, key(a), key(b), { size, df: true }).result;
      const predicted = t.verdict === 'delivered' && t.reply?.verdict === 'delivered' ? 'reply' : 'no reply';
      const vethDrop = t.hops.some((h) => h.decision?.hook === 'mtu' && h.decision.by === 'veth' && h.device === hostEnd);
      const before = await rxDropped();
      const k = await lab!.inNs(`pod/${key(a)}`, ['ping', '-c', '2', '-i', '0.2', '-W', '1', '-q', '-M', 'do', '-s', String(size), formatIpv4(b.attachment!.ip)]);
      const after = await rxDropped();
      const kernel = k.status === 0 ? 'reply' : 'no reply';
      if (predicted !== kernel) problems.push(`${ipBytes}-byte ping: podpath ${predicted} (${t.reason ?? ''}), kernel ${kernel}`);
      const counted = after - before;
      if (vethDrop !== counted > 0) problems.push(`${ipBytes}-byte ping: podpath ${vethDrop ? 'drops at' : 'passes'} ${hostEnd}, kernel rx_dropped +${counted}`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
