import { describe, expect, it } from 'vitest';
import { Cidr } from '../addressing/ipv4';
import { loadCluster } from '../index';
import { externalScenario } from '../external/fixture';
import { isIpv6Cidr } from '../addressing/ipv6';
import { cloudSourceRanges, parseSourceRanges, validateSourceRanges } from './sourceRanges';
import { servicesOf } from './table';

const service = (name: string, body: string) => `---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
${body}`;

const load = (extra: string) => loadCluster([{ name: 't.yaml', text: externalScenario({ extra }) }]);

describe('loadBalancerSourceRanges validation (ValidateService)', () => {
  it('forbids the field unless type is LoadBalancer, with upstream\'s capitalised field path', () => {
    const r = load(service('np', `spec:\n  type: NodePort\n  selector: {app: web}\n  loadBalancerSourceRanges: ["10.0.0.0/8"]\n  ports: [{port: 80}]\n`));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      expect.objectContaining({ file: 't.yaml', object: 'Service/default/np', field: 'spec.LoadBalancerSourceRanges', message: "Forbidden: may only be used when `type` is 'LoadBalancer'", line: expect.any(Number) }),
    ]);
  });

  it('rejects a value that is not a CIDR, printing the list as Go\'s %v does (trailing space included)', () => {
    const r = load(service('lb', `spec:\n  type: LoadBalancer\n  selector: {app: web}\n  loadBalancerSourceRanges: ["10.0.0.0/8", "1.2.3.4/33"]\n  ports: [{port: 80}]\n`));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.field}: ${e.message}`)).toEqual(['spec.LoadBalancerSourceRanges: Invalid value: "[10.0.0.0/8 1.2.3.4/33]": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ']);
  });

  it('checks the annotation when the field is empty', () => {
    const r = load(service('ann', `  annotations: {service.beta.kubernetes.io/load-balancer-source-ranges: "10.0.0.0/8,nope"}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n`));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const field = 'metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]';
    expect(r.errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      `${field}: Forbidden: may only be used when \`type\` is 'LoadBalancer'`,
      `${field}: Invalid value: "10.0.0.0/8,nope": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 `,
    ]);
  });

  it('accepts space-padded values, host bits and IPv6 blocks', () => {
    expect(validateSourceRanges({ spec: { loadBalancerSourceRanges: [' 10.0.0.1/8 ', '2001:db8::/64', '::ffff:10.0.0.0/104'] } }, 'LoadBalancer')).toEqual([]);
    expect(parseSourceRanges([' 10.0.0.1/8 ', '2001:db8::/64'])!.map(String)).toEqual(['10.0.0.0/8']);
    expect(parseSourceRanges(['10.0.0.0'])).toBeNull();
    expect(isIpv6Cidr('2001:db8::/64')).toBe(true);
    expect(isIpv6Cidr('1:2:3:4:5:6:7:8/128')).toBe(true);
    expect(isIpv6Cidr('1::2::3/64')).toBe(false);
    expect(isIpv6Cidr('2001:db8::/129')).toBe(false);
    expect(isIpv6Cidr('10.0.0.0/8')).toBe(false);
  });
});

describe('ServiceInfo.loadBalancerSourceRanges', () => {
  const r = load(
    service('lb', `spec:\n  type: LoadBalancer\n  selector: {app: web}\n  loadBalancerSourceRanges: [" 10.240.0.0/24", "10.250.0.7/24 "]\n  ports: [{port: 80}]\n`) +
      service('ann', `  annotations: {service.beta.kubernetes.io/load-balancer-source-ranges: "192.0.2.0/24"}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80}]\n`),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const t = servicesOf(r.value);

  it('holds the trimmed, parsed spec field, empty when unset', () => {
    expect(t.byName.get('default/lb')!.loadBalancerSourceRanges!.map(String)).toEqual(['10.240.0.0/24', '10.250.0.0/24']);
    expect(t.byName.get('default/web-cluster')!.loadBalancerSourceRanges).toEqual([]);
  });

  it('ignores the annotation (kube-proxy reads only the field), which the cloud provider still honours', () => {
    const ann = t.byName.get('default/ann')!;
    expect(ann.loadBalancerSourceRanges).toEqual([]);
    expect(cloudSourceRanges(ann.manifest)).toEqual({ ranges: [Cidr.parse('192.0.2.0/24')], from: 'annotation' });
    expect(cloudSourceRanges(t.byName.get('default/web-cluster')!.manifest)).toBeUndefined();
  });
});
