import { readFileSync } from 'node:fs';
import { loadCluster } from './src/engine/index';
import { servicesOf } from './src/engine/services/table';
import { formatIpv4 } from './src/engine/addressing/ipv4';
const r = loadCluster([{ name: 'demo.yaml', text: readFileSync(process.argv[2] ?? 'src/scenarios/demo.yaml', 'utf8') }]);
if (!r.ok) { console.log(r.errors); process.exit(1); }
const t = servicesOf(r.value);
for (const s of t.services) console.log(s.namespace, s.name, s.type, s.clusterIP === null ? null : formatIpv4(s.clusterIP), s.endpointSlices, s.endpoints.map(e => formatIpv4(e.ip) + JSON.stringify(e.ports)));
