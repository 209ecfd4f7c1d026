import { test } from 'vitest';
import { externalScenario, load, allHooks } from '/work/main/src/engine/external/fixture';
import { trace, formatTrace } from '/work/main/src/engine/trace/tracer';
import { servicesOf } from '/work/main/src/engine/services/table';
import { formatIpv4 } from '/work/main/src/engine/addressing/ipv4';
test('x', () => {
  const c = load(externalScenario());
  for (const s of servicesOf(c).services) console.log(s.name, s.loadBalancerIP !== undefined ? formatIpv4(s.loadBalancerIP) : '-', s.healthCheckNodePort);
  const r = trace(c, { from: 'external', to: '203.0.113.1', proto: 'tcp', port: 80 }, { hooks: allHooks(c) });
  console.log(formatTrace(r));
  const r2 = trace(c, { from: 'external', to: '203.0.113.2', proto: 'tcp', port: 80 }, { hooks: allHooks(c) });
  console.log(formatTrace(r2));
  const r3 = trace(c, { from: 'default/client', to: '8.8.8.8', proto: 'icmp' }, { hooks: allHooks(c) });
  console.log(formatTrace(r3));
});
