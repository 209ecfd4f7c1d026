import { readFileSync } from 'node:fs';
import { loadScenario } from './src/engine/scenario/loadScenario';
import { formatScenarioError, formatIpv4 } from './src/engine/index';
const r = loadScenario([{ name: 'dump.yaml', text: readFileSync('src/engine/scenario/__fixtures__/kubectl-dump.yaml', 'utf8') }]);
if (!r.ok) console.log(r.errors.map(formatScenarioError).join('\n'));
else {
  const { podCIDR, nodeNetwork, serviceCIDR, cni } = r.value.config;
  console.log(cni, String(podCIDR), String(nodeNetwork), String(serviceCIDR));
  for (const n of r.value.nodes) console.log(n.meta.name, n.role, n.ip && formatIpv4(n.ip), String(n.podCIDR), n.meta.uid, n.meta.creationTimestamp);
  for (const p of r.value.pods) console.log(p.meta.namespace, p.meta.name, p.nodeName, p.hostNetwork, p.podIP && formatIpv4(p.podIP), p.phase, p.ready);
  console.log(r.value.workloads.map(w => `${w.kind}/${w.meta.name} ${w.replicas}`), r.value.namespaces.map(n=>n.meta.name), r.value.objects.map(o=>o.kind+'/'+o.meta.name));
}
