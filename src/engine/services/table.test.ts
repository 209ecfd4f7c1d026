import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../addressing/ipv4';
import { loadCluster } from '../index';
import { servicesOf, slicesOf } from './table';

const CLUSTER = `apiVersion: podpath/v1alpha1
kind: Cluster
metadata: {name: t}
spec: {cni: flannel, nodes: [{name: control-plane, role: control-plane}, {name: worker-1}, {name: worker-2}]}
`;

const pod = (name: string, node: string, labels: string, extra = '', status = '') => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {${labels}}}
spec:
  nodeName: ${node}
${extra}  containers:
  - name: c
    image: nginx:1.27
    ports:
    - {name: web, containerPort: 8080}
${status}`;

const NOT_READY = 'status:\n  phase: Running\n  conditions:\n  - {type: Ready, status: "False"}\n';

const svc = (name: string, spec: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
${spec}`;

function load(...docs: string[]) {
  const r = loadCluster([{ name: 't.yaml', text: CLUSTER + docs.join('') }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

const ips = (eps: { ip: number }[]) => eps.map((e) => formatIpv4(e.ip));

describe('servicesOf', () => {
  const cluster = load(
    pod('a', 'worker-1', 'app: web'),
    pod('b', 'worker-2', 'app: web', '', NOT_READY),
    pod('h', 'worker-2', 'app: web', '  hostNetwork: true\n'),
    pod('other', 'worker-1', 'app: db'),
    svc('web', '  selector: {app: web}\n  ports:\n  - {name: http, port: 80, targetPort: web}\n  - {name: raw, port: 81, targetPort: 9000}\n'),
    svc('pub', '  selector: {app: web}\n  publishNotReadyAddresses: true\n  ports:\n  - {port: 80, targetPort: nope}\n'),
    svc('ext', '  ports:\n  - {port: 5432}\n'),
    `---
apiVersion: v1
kind: Endpoints
metadata: {name: ext}
subsets:
- addresses: [{ip: 192.0.2.10}]
  notReadyAddresses: [{ip: 192.0.2.11}]
  ports: [{port: 5432}]
`,
  );
  const t = servicesOf(cluster);

  it('takes ready pods as ready endpoints and keeps not-ready ones with ready=false', () => {
    const web = t.byName.get('default/web')!;
    const ipOf = (n: string) => formatIpv4(cluster.pods.get(`default/${n}`)!.attachment?.ip ?? cluster.nodes[2].ip);
    const want: [string, boolean, boolean, string][] = [
      [ipOf('a'), true, true, 'a'],
      [ipOf('b'), false, false, 'b'],
      // hostNetwork pods serve on their node's address.
      [ipOf('h'), true, true, 'h'],
    ];
    want.sort((x, y) => (x[0] < y[0] ? -1 : 1));
    expect(web.endpoints.map((e) => [formatIpv4(e.ip), e.ready, e.serving, e.pod?.name])).toEqual(want);
  });

  it('resolves named targetPorts per pod and leaves out ports a pod lacks', () => {
    const web = t.byName.get('default/web')!;
    expect(web.endpoints[0].ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'raw', port: 9000, protocol: 'TCP' },
    ]);
    const pub = t.byName.get('default/pub')!;
    expect(pub.endpoints.every((e) => e.ready && e.ports.length === 0)).toBe(true);
    expect(pub.endpoints.find((e) => e.pod?.name === 'b')?.serving).toBe(false);
  });

  it('uses hand-written Endpoints for a selector-less Service, mirrored into one slice', () => {
    const ext = t.byName.get('default/ext')!;
    expect(ext.selector).toBeUndefined();
    expect(ext.endpoints.map((e) => [formatIpv4(e.ip), e.ready])).toEqual([
      ['192.0.2.10', true],
      ['192.0.2.11', false],
    ]);
    expect(ext.endpointSlices).toHaveLength(1);
    expect(ext.endpointSlices[0]).toMatch(/^ext-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('gives default/kubernetes the control-plane node on 6443 and indexes addresses', () => {
    const k = t.byName.get('default/kubernetes')!;
    expect(ips(k.endpoints)).toEqual([formatIpv4(cluster.nodes[0].ip)]);
    expect(k.endpointSlices).toEqual(['kubernetes']);
    expect(t.byClusterIP.get(k.clusterIP!)).toBe(k);
    expect(t.services.map((s) => `${s.namespace}/${s.name}`)).toEqual(['default/ext', 'default/kubernetes', 'default/pub', 'default/web', 'kube-system/kube-dns']);
  });

  it('is cached per cluster and deterministic across loads', () => {
    expect(servicesOf(cluster)).toBe(t);
    const again = servicesOf(load(pod('a', 'worker-1', 'app: web'), svc('web', '  selector: {app: web}\n  ports:\n  - {port: 80}\n')));
    const once = servicesOf(load(pod('a', 'worker-1', 'app: web'), svc('web', '  selector: {app: web}\n  ports:\n  - {port: 80}\n')));
    expect(again.byName.get('default/web')!.endpointSlices).toEqual(once.byName.get('default/web')!.endpointSlices);
    expect(again.byName.get('default/web')!.clusterIP).toBe(once.byName.get('default/web')!.clusterIP);
  });

  it('splits slices by port mapping and keeps an empty placeholder', () => {
    const c = load(svc('none', '  selector: {app: nothing}\n  ports:\n  - {port: 80}\n'));
    const s = servicesOf(c).byName.get('default/none')!;
    expect(s.endpoints).toEqual([]);
    expect(slicesOf(s)).toHaveLength(1);
  });

  it('indexes 10,000 Services over 50,000 pods without per-Service scans', () => {
    const pods = new Map<string, import('../model/cluster').PodRec>();
    const objects = new Map<string, import('../model/cluster').ManifestRec>();
    const base = cluster.pods.get('default/a')!;
    for (let i = 0; i < 10000; i++) {
      for (let j = 0; j < 5; j++) {
        const name = `p${i}-${j}`;
        pods.set(`default/${name}`, { ...base, meta: { ...base.meta, name, labels: { app: `s${i}`, tier: 'x' } }, attachment: { ...base.attachment!, ip: (10 << 24) + i * 5 + j } });
      }
      objects.set(`Service/default/s${i}`, { kind: 'Service', meta: { ...base.meta, name: `s${i}`, labels: {} }, manifest: { spec: { clusterIP: `10.96.${i >> 8}.${i & 255}`, selector: { app: `s${i}`, tier: 'x' }, ports: [{ port: 80 }] } } });
    }
    const big = servicesOf({ ...cluster, pods, objects });
    expect(big.services).toHaveLength(10000);
    expect(big.byName.get('default/s9999')!.endpoints).toHaveLength(5);
  });
});
