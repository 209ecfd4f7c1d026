import { describe, expect, it } from 'vitest';
import type { TraceHop, TraceResult } from '../../engine/trace/traceTypes';
import { encapLabel, flattenHops, flowLabel, hopAnchorId, hopCount, stepCursor } from './playback';

const hop = (over: Partial<TraceHop>): TraceHop => ({
  node: 'worker-1',
  netns: 'node/worker-1',
  device: 'eth0',
  action: 'xmit',
  detail: '',
  packet: { src: '10.244.1.2', dst: '10.244.2.2', proto: 'icmp', ttl: 64, size: 98 },
  ...over,
});

describe('playback', () => {
  const result: TraceResult = {
    verdict: 'delivered',
    hops: [hop({ action: 'send' }), hop({ action: 'deliver' })],
    reply: { verdict: 'delivered', hops: [hop({ action: 'send' })] },
  };

  it('flattens request then reply hops', () => {
    expect(flattenHops(result).map((h) => `${h.leg}${h.index}`)).toEqual(['request0', 'request1', 'reply0']);
    expect(hopCount(result)).toBe(3);
    expect(flattenHops(null)).toEqual([]);
  });

  it('clamps the cursor', () => {
    expect(stepCursor(-1, 1, 3)).toBe(0);
    expect(stepCursor(-1, -1, 3)).toBe(-1);
    expect(stepCursor(2, 1, 3)).toBe(2);
    expect(stepCursor(0, -1, 3)).toBe(0);
    expect(stepCursor(1, 1, 0)).toBe(-1);
  });

  it('anchors hops on devices, pods, the switch, or the node box', () => {
    const drawn = new Set(['pod:default/client', 'dev:worker-1:flannel.1', 'node:worker-1', 'net:nodes']);
    expect(hopAnchorId(hop({ netns: 'pod/default/client', device: 'eth0' }), drawn)).toBe('pod:default/client');
    expect(hopAnchorId(hop({ device: 'flannel.1' }), drawn)).toBe('dev:worker-1:flannel.1');
    expect(hopAnchorId(hop({ device: 'lo' }), drawn)).toBe('node:worker-1');
    expect(hopAnchorId(hop({ action: 'wire' }), drawn)).toBe('net:nodes');
    expect(hopAnchorId(hop({ netns: 'net/nodes', node: null }), drawn)).toBe('net:nodes');
    expect(hopAnchorId(hop({ netns: 'pod/x/y', node: null }), drawn)).toBeUndefined();
  });

  it('labels the flow and the encapsulation', () => {
    const h = hop({ packet: { src: '10.244.1.2', dst: '10.244.2.2', proto: 'tcp', srcPort: 40000, dstPort: 80, ttl: 63, size: 124, encap: { type: 'vxlan', src: '192.168.1.11', dst: '192.168.1.12', dstPort: 8472, vni: 1 } } });
    expect(flowLabel(h)).toBe('10.244.1.2:40000 → 10.244.2.2:80');
    expect(encapLabel(h)).toBe('VXLAN 192.168.1.11 → 192.168.1.12 vni 1 :8472');
    expect(encapLabel(hop({}))).toBe('');
  });
});
