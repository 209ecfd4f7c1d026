/**
 * The cloud load balancer and loadBalancerSourceRanges: the AWS provider opens the NodePort on the
 * targets' security group only to the ranges (client IP preserved), so the outside client
 * (198.51.100.10) gets through only when a range holds it.
 */
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { servicesOf } from '../services/table';
import { trace } from '../trace/tracer';
import { CLIENT_IP } from './addresses';
import { cloudLoadBalancers } from './cloudLb';
import { externalScenario, load } from './fixture';

const lbService = (name: string, nodePort: number, ranges: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  type: LoadBalancer
  selector: {app: web}
  ${ranges}
  ports: [{port: 80, targetPort: 80, nodePort: ${nodePort}}]
`;

const cluster = load(
  externalScenario({
    extra:
      lbService('web-allowed', 30090, 'loadBalancerSourceRanges: ["198.51.100.0/24"]') +
      lbService('web-office', 30091, 'loadBalancerSourceRanges: ["192.0.2.0/24", "10.0.0.0/8"]'),
  }),
);
const lbIp = (name: string) => formatIpv4(servicesOf(cluster).byName.get(`default/${name}`)!.loadBalancerIP!);

describe('the cloud load balancer and loadBalancerSourceRanges', () => {
  it('keeps the ranges on the load balancer (none when the Service has none)', () => {
    const byName = new Map(cloudLoadBalancers(cluster).map((lb) => [lb.service.name, lb]));
    expect(byName.get('web-office')!.sourceRanges?.ranges.map(String)).toEqual(['192.0.2.0/24', '10.0.0.0/8']);
    expect(byName.get('web-cluster')!.sourceRanges).toBeUndefined();
  });

  it('refuses the outside client when no range holds it, naming the Service\'s ranges', () => {
    const t = trace(cluster, { from: 'external', to: lbIp('web-office'), proto: 'tcp', port: 80 });
    expect(t.verdict).toBe('dropped');
    expect(t.hops[t.hops.length - 1].netns).toBe('ext/lb/default/web-office');
    expect(t.reason).toContain(`client ${formatIpv4(CLIENT_IP)} is outside the Service's loadBalancerSourceRanges (192.0.2.0/24, 10.0.0.0/8)`);
    expect(t.reason).toContain('NodePort 30091');
    expect(t.hops.some((h) => h.netns.startsWith('node/'))).toBe(false);
  });

  it('lets the outside client in when a range holds it, client address kept to the NodePort', () => {
    const t = trace(cluster, { from: 'external', to: lbIp('web-allowed'), proto: 'tcp', port: 80 });
    expect(t.verdict).toBe('delivered');
    expect(t.hops[t.hops.length - 1].netns).toBe('pod/default/web');
    const lb = t.hops.find((h) => h.netns === 'ext/lb/default/web-allowed' && h.action === 'netfilter')!;
    expect(lb.detail).toMatch(/listener TCP:80 → target worker-\d NodePort 192\.168\.1\.\d+:30090/);
    // The node sees the NodePort, not the LB IP: KUBE-FW-X is not on this path.
    expect(t.hops.some((h) => h.detail.includes('KUBE-FW-'))).toBe(false);
  });

  it('leaves a Service without ranges as it was', () => {
    expect(trace(cluster, { from: 'external', to: lbIp('web-cluster'), proto: 'tcp', port: 80 }).verdict).toBe('delivered');
  });
});
