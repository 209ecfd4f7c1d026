/**
 * The VM beside the nodes (ext/vm, `external/vm`): on a cloud fabric that routes pod IPs to
 * VMs (AWS secondary IPs) it reaches a pod directly, through the fabric's route; on an overlay
 * the pod range is known only inside the cluster, so the packet leaves by the gateway and the
 * Internet answers unreachable.
 */
import { describe, expect, it } from 'vitest';
import { networkOf } from '../cni/network';
import { trace } from '../trace/tracer';
import { twoNodeCluster } from '../trace/traceFixture';
import { VM_NETNS } from './world';

describe('a VM on the node network (external/vm)', () => {
  it('sits at .5 of the node network, routing via the gateway', () => {
    const net = networkOf(twoNodeCluster('flannel'));
    const vm = net.get(VM_NETNS)!;
    expect(vm.links[1].addrs[0].ip).toBe(net.segments[0].cidr.nth(5));
    expect(net.ownerOf(vm.links[1].addrs[0].ip)?.netns).toBe('ext/vm');
    expect(net.segments[0].ports.map((p) => p.netns)).toContain('ext/vm');
  });

  it('aws-vpc: the VPC fabric delivers the VM’s packet to the node holding the pod IP, and the reply comes back', () => {
    const r = trace(twoNodeCluster('aws-vpc'), { from: 'external/vm', to: 'c', proto: 'tcp', port: 80 });
    expect(r.verdict, r.reason).toBe('delivered');
    expect(r.reply?.verdict, r.reply?.reason).toBe('delivered');
    expect(r.hops.find((h) => h.action === 'wire')?.fabric).toMatchObject({ kind: 'secondary-ip', node: 'node-2' });
    expect(r.hops[r.hops.length - 1].netns).toBe('pod/default/c');
    expect(r.reply!.hops[r.reply!.hops.length - 1].netns).toBe('ext/vm');
  });

  it('flannel: the pod range is not routed outside the cluster; the VM gets unreachable', () => {
    const r = trace(twoNodeCluster('flannel'), { from: 'external/vm', to: 'c', proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('unreachable');
    expect(r.hops.some((h) => h.netns.startsWith('node/'))).toBe(false);
  });
});
