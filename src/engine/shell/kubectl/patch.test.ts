import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineShell } from '../../engineShell';
import { loadCluster } from '../../load';
import { jsonPatch, mergePatch, sameJson, strategicMerge, type JsonValue } from './patchDoc';

function demo() {
  const text = readFileSync(new URL('../../../scenarios/demo.yaml', import.meta.url), 'utf8');
  const l = loadCluster([{ name: 'demo.yaml', text }]);
  if (!l.ok) throw new Error(JSON.stringify(l.errors));
  return engineShell(l.value);
}

describe('patch documents', () => {
  it('strategic merge: maps merge, null deletes, containers merge by name, service ports by port, other lists replace', () => {
    const dep = { spec: { template: { spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, name: 'http' }] }, { name: 'b', image: 'y' }], tolerations: [{ key: 't' }] } } } };
    const r = strategicMerge('Deployment', dep, { spec: { template: { spec: { containers: [{ name: 'b', image: 'z' }], tolerations: [{ key: 'u' }] } } } }) as typeof dep;
    expect(r.spec.template.spec.containers).toEqual([{ name: 'a', image: 'x', ports: [{ containerPort: 80, name: 'http' }] }, { name: 'b', image: 'z' }]);
    expect(r.spec.template.spec.tolerations).toEqual([{ key: 'u' }]);
    const svc = { spec: { selector: { app: 'web', tier: 'fe' }, ports: [{ port: 80, targetPort: 8080 }] } };
    expect(strategicMerge('Service', svc, { spec: { selector: { tier: null }, ports: [{ port: 80, nodePort: 30080 }, { port: 443 }] } })).toEqual({ spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }, { port: 443 }] } });
    expect(() => strategicMerge('Deployment', dep, { spec: { template: { spec: { containers: [{ image: 'q' }] } } } })).toThrow('map: map[image:q] does not contain declared merge key: name');
    expect(() => strategicMerge('Service', svc, { spec: { $retainKeys: ['x'] } })).toThrow('"$retainKeys"');
  });
  it('JSON merge patch replaces lists; JSON patch ops and their failures', () => {
    expect(mergePatch({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { d: null } })).toEqual({ a: [3], b: { c: 1 } });
    const doc = { spec: { replicas: 2, ports: [{ port: 80 }] } };
    expect(jsonPatch(doc, [{ op: 'replace', path: '/spec/replicas', value: 3 }, { op: 'add', path: '/spec/ports/-', value: { port: 443 } }, { op: 'test', path: '/spec/replicas', value: 3 }])).toEqual({ spec: { replicas: 3, ports: [{ port: 80 }, { port: 443 }] } });
    expect(jsonPatch(doc, [{ op: 'remove', path: '/spec/ports/0' }, { op: 'copy', from: '/spec/replicas', path: '/spec/min' }])).toEqual({ spec: { replicas: 2, ports: [], min: 2 } });
    expect(() => jsonPatch(doc, [{ op: 'replace', path: '/spec/foo', value: 1 }])).toThrow('replace operation does not apply: doc is missing key: /spec/foo: missing value');
    expect(() => jsonPatch(doc, [{ op: 'test', path: '/spec/replicas', value: 9 }])).toThrow('testing value /spec/replicas failed');
    expect(() => jsonPatch(doc, { op: 'add' })).toThrow('jsonpatch.Patch');
    expect(doc.spec.replicas).toBe(2);
  });
  it('a merge patch of the object with itself changes nothing; patching a map key then deleting it restores the map', () => {
    const key = fc.string({ minLength: 1 }).filter((k) => !k.startsWith('$') && k !== '__proto__');
    const json = fc.letrec<{ v: JsonValue }>((tie) => ({ v: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.string(), fc.dictionary(key, tie('v'))) }));
    fc.assert(
      fc.property(fc.dictionary(key, json.v), key, (m, k) => {
        expect(sameJson(strategicMerge('X', m, m), m)).toBe(true);
        const without = { ...m };
        delete without[k];
        expect(strategicMerge('X', strategicMerge('X', without, { [k]: 'v' }), { [k]: null })).toEqual(without);
      }),
    );
  });
});

describe('kubectl patch', () => {
  it('patches a Service through apply: the selector moves the EndpointSlice, type and nodePort change, clusterIP and age stay', () => {
    const sh = demo();
    const before = sh.run('kubectl get svc web').stdout;
    expect(sh.run(`kubectl patch svc web -p '{"spec":{"selector":{"app":"nope"}}}'`).stdout).toBe('service/web patched\n');
    expect(sh.run('kubectl get endpointslices').stdout).toMatch(/web-\w+\s+IPv4\s+<unset>\s+<unset>/);
    expect(sh.run(`kubectl patch svc web -p '{"spec":{"selector":{"app":"nope"}}}'`).stdout).toBe('service/web patched (no change)\n');
    expect(sh.run(`kubectl patch svc/web --type merge -p '{"spec":{"selector":{"app":"web"},"type":"NodePort"}}'`).stdout).toBe('service/web patched\n');
    expect(sh.run(`kubectl patch svc web -p '{"spec":{"ports":[{"port":80,"nodePort":30080}]}}'`).status).toBe(0);
    const after = sh.run('kubectl get svc web').stdout;
    expect(after).toMatch(/NodePort\s+10\.\S+\s+<none>\s+80:30080\/TCP/);
    expect(after.split(/\s+/).slice(-2)).toEqual(before.split(/\s+/).slice(-2));
    expect(after.split('\n')[1].split(/\s+/)[2]).toBe(before.split('\n')[1].split(/\s+/)[2]);
    expect(sh.run('kubectl get endpointslices').stdout).toMatch(/web-\w+\s+IPv4\s+80\s+10\.244/);
  });
  it('patches a Deployment: replicas scale (json patch), a new template rolls a new ReplicaSet', () => {
    const sh = demo();
    expect(sh.run(`kubectl patch deploy web --type json -p '[{"op":"replace","path":"/spec/replicas","value":1}]'`).stdout).toBe('deployment.apps/web patched\n');
    expect(sh.run('kubectl get deploy web').stdout).toMatch(/web\s+1\/1/);
    const rs = sh.run('kubectl get rs -o name').stdout;
    expect(sh.run(`kubectl patch deployment web -p '{"spec":{"template":{"metadata":{"labels":{"tier":"fe"}}}}}'`).stdout).toBe('deployment.apps/web patched\n');
    expect(sh.run('kubectl get rs -o name').stdout).not.toBe(rs);
    expect(sh.run('kubectl get pods -l tier=fe -o name').stdout).toMatch(/^pod\/web-/);
  });
  it('patches Pod labels and Node unschedulable/labels; refuses a Pod spec change as the API server does', () => {
    const sh = demo();
    expect(sh.run(`kubectl patch pod client -p '{"metadata":{"labels":{"role":"x"}}}'`).stdout).toBe('pod/client patched\n');
    expect(sh.run('kubectl get pods -l role=x -o name').stdout).toBe('pod/client\n');
    expect(sh.run(`kubectl patch node worker-1 -p '{"spec":{"unschedulable":true}}'`).stdout).toBe('node/worker-1 patched\n');
    expect(sh.run('kubectl get node worker-1').stdout).toContain('Ready,SchedulingDisabled');
    expect(sh.run(`kubectl patch node worker-1 -p '{"metadata":{"labels":{"disk":"ssd"}}}'`).stdout).toBe('node/worker-1 patched\n');
    expect(sh.run('kubectl get nodes -l disk=ssd -o name').stdout).toBe('node/worker-1\n');
    const r = sh.run(`kubectl patch pod client -p '{"spec":{"nodeName":"worker-2"}}'`);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^The Pod "client" is invalid: spec: Forbidden: pod updates may not change fields other than/);
  });
  it('says what kubectl says for a bad command line', () => {
    const sh = demo();
    expect(sh.run('kubectl patch deploy web').stderr).toBe('error: must specify --patch or --patch-file containing the contents of the patch\n');
    expect(sh.run(`kubectl patch deploy web --type foo -p '{}'`).stderr).toBe('error: --type must be one of [json merge strategic], not "foo"\n');
    expect(sh.run(`kubectl patch svc nope -p '{}'`).stderr).toBe('Error from server (NotFound): services "nope" not found\n');
    expect(sh.run(`kubectl patch svc web -p '{"spec":{'`).stderr).toMatch(/^error: unable to parse "\{"spec":\{": yaml: /);
    expect(sh.run(`kubectl patch deploy web --type json -p '[{"op":"remove","path":"/spec/nope"}]'`).stderr).toBe('The request is invalid: the server rejected our request due to an error in our request\nUnable to remove nonexistent key: nope: missing value\n');
  });
});

describe('kubectl set and kubectl edit', () => {
  it('set selector replaces a Service selector (the EndpointSlice follows); other kinds are refused', () => {
    const sh = demo();
    expect(sh.run(`kubectl patch svc web -p '{"spec":{"selector":{"tier":"x"}}}'`).status).toBe(0);
    expect(sh.run(`kubectl set selector svc/web 'app=web'`).stdout).toBe('service/web selector updated\n');
    expect(sh.run('kubectl get svc web -o jsonpath={.spec.selector}').stdout).toBe('{"app":"web"}');
    expect(sh.run('kubectl get endpointslices').stdout).toMatch(/web-\w+\s+IPv4\s+80\s+10\.244/);
    expect(sh.run(`kubectl set selector svc web 'app=nope'`).stdout).toBe('service/web selector updated\n');
    expect(sh.run('kubectl get endpointslices').stdout).toMatch(/web-\w+\s+IPv4\s+<unset>/);
    expect(sh.run('kubectl set selector deploy/web app=web').stderr).toBe('error: setting a selector is only supported for Services\n');
    expect(sh.run(`kubectl set selector svc/web 'app in (a)'`).stderr).toMatch(/^error: match expression \[app in \(a\)\] not supported on this object/);
  });
  it('set image rolls the Deployment to the new image', () => {
    const sh = demo();
    expect(sh.run('kubectl set image deployment/web nginx=nginx:1.27').stdout).toBe('deployment.apps/web image updated\n');
    expect(sh.run('kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].image}').stdout).toBe('nginx:1.27');
  });
  it('edit explains there is no editor and how to patch or apply instead, exit 1', () => {
    const r = demo().run('kubectl edit svc web');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('kubectl edit svc web would open');
    expect(r.stderr).toContain(`kubectl patch svc web -p '{"spec":{...}}'`);
    expect(r.stderr).toContain('kubectl apply -f - <<EOF');
  });
});

describe('kubectl events', () => {
  it('lists Cluster.events as event_printer.go does: Kind/name, -A adds NAMESPACE, --for and --types filter, sorted by last time', () => {
    const sh = demo();
    const ev = sh.run('kubectl events').stdout.split('\n').filter(Boolean);
    expect(ev[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    const got = sh.run('kubectl get events').stdout.split('\n').filter(Boolean);
    expect(ev.length).toBe(got.length);
    expect(ev.slice(1).every((l) => /\s(Pod|ReplicaSet|Deployment|Node)\//.test(l))).toBe(true);
    expect(sh.run('kubectl events -A').stdout).toMatch(/^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n/);
    expect(sh.run('kubectl events --for pod/client')).toMatchObject({ stdout: '', stderr: 'No events found in default namespace.\n', status: 0 });
    expect(sh.run('kubectl events --types=Warning').stderr).toBe('No events found in default namespace.\n');
    sh.run(`kubectl patch deploy web -p '{"spec":{"template":{"spec":{"nodeSelector":{"disk":"ssd"}}}}}'`);
    const warn = sh.run('kubectl events --types=warning').stdout.split('\n').filter(Boolean).slice(1);
    expect(warn.length).toBeGreaterThan(0);
    expect(warn.every((l) => /^\S+\s+Warning\s+FailedScheduling\s+Pod\/web-/.test(l))).toBe(true);
    const pod = warn[0].split(/\s+/)[3];
    expect(sh.run(`kubectl events --for ${pod.toLowerCase()}`).stdout).toContain(pod);
    const all = sh.run('kubectl events').stdout.split('\n').filter(Boolean).slice(1);
    const ages = all.map((l) => l.split(/\s+/)[0]);
    expect(ages.indexOf('0s')).toBeGreaterThan(0);
    expect(ages.slice(ages.indexOf('0s')).every((a) => a === '0s')).toBe(true);
    expect(sh.run('kubectl events --types=bad').stderr).toBe('error: valid --types are Normal or Warning\n');
    expect(sh.run('kubectl events -n nope').stderr).toBe('No events found in nope namespace.\n');
  });
});

describe('kubectl patch networkpolicy', () => {
  it('re-applies the policy: a merge patch of its podSelector shows in get; no change prints (no change)', () => {
    const text = readFileSync(new URL('../../../scenarios/azure-cni.yaml', import.meta.url), 'utf8');
    const l = loadCluster([{ name: 'azure-cni.yaml', text }]);
    if (!l.ok) throw new Error(JSON.stringify(l.errors));
    const sh = engineShell(l.value);
    expect(sh.run(`kubectl patch netpol api-from-client --type merge -p '{"spec":{"podSelector":{"matchLabels":{"app":"other"}}}}'`).stdout).toBe('networkpolicy.networking.k8s.io/api-from-client patched\n');
    expect(sh.run('kubectl get netpol api-from-client').stdout).toMatch(/api-from-client\s+app=other\s/);
    expect(sh.run(`kubectl patch networkpolicy/api-from-client -p '{"spec":{"podSelector":{"matchLabels":{"app":"other"}}}}'`).stdout).toBe('networkpolicy.networking.k8s.io/api-from-client patched (no change)\n');
  });
});
