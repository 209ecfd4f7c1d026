import { describe, expect, it } from 'vitest';
import { createShell } from '../Shell';
import { fakeOps, fakeTrace, referenceCluster } from '../fixture';
import { jsonpath } from './jsonpath';
import { toYaml } from './output';
import { selectorMatches as matches } from '../../model/labelSelector';
import { parseSelector } from './selector';

const shell = () => createShell({ cluster: referenceCluster(), trace: fakeTrace, ops: fakeOps, readFile: (p) => (p === 'pod.yaml' ? 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n' : undefined) });

describe('label selectors', () => {
  const sel = (s: string) => {
    const r = parseSelector(s);
    if (!r.ok) throw new Error(r.error);
    return r.selector;
  };
  it('supports =, ==, !=, in, notin, exists and !exists', () => {
    const l = { app: 'web', tier: 'front' };
    expect(matches(sel('app=web'), l)).toBe(true);
    expect(matches(sel('app==web,tier!=back'), l)).toBe(true);
    expect(matches(sel('app in (db,web)'), l)).toBe(true);
    expect(matches(sel('app notin (db,web)'), l)).toBe(false);
    expect(matches(sel('tier'), l)).toBe(true);
    expect(matches(sel('!tier'), l)).toBe(false);
    expect(parseSelector('a=b=c').ok).toBe(false);
  });
});

describe('jsonpath', () => {
  const data = { items: [{ metadata: { name: 'a' }, status: { addresses: [{ type: 'InternalIP', address: '1.2.3.4' }, { type: 'Hostname', address: 'a' }] } }, { metadata: { name: 'b' }, status: { addresses: [] } }] };
  it('evaluates paths, wildcards, filters and ranges', () => {
    expect(jsonpath('{.items[*].metadata.name}', data)).toEqual({ ok: true, text: 'a b' });
    expect(jsonpath('{.items[0].status.addresses[?(@.type=="InternalIP")].address}', data)).toEqual({ ok: true, text: '1.2.3.4' });
    expect(jsonpath('{range .items[*]}{.metadata.name}{"\\n"}{end}', data)).toEqual({ ok: true, text: 'a\nb\n' });
    expect(jsonpath('{.items[-1].metadata.name}', data)).toEqual({ ok: true, text: 'b' });
    expect(jsonpath('{.nope}', data)).toEqual({ ok: true, text: '' });
  });
});

describe('custom-columns output', () => {
  it('prints one column per HEADER:PATH, <none> for a missing field, and refuses a spec without a path', () => {
    const sh = shell();
    const r = sh.run('kubectl get nodes -o custom-columns=NAME:.metadata.name,PODCIDR:.spec.podCIDR,X:.nope');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+PODCIDR\s+X$/);
    expect(lines.slice(1).every((l) => /^\S+\s+\d+\.\d+\.\d+\.\d+\/\d+\s+<none>$/.test(l))).toBe(true);
    expect(sh.run('kubectl get nodes -o custom-columns=NAME --no-headers=false')).toMatchObject({ status: 1, stderr: 'error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n' });
  });
});

describe('yaml output', () => {
  it('sorts keys, keeps sequences at their key, quotes what would not read as a string', () => {
    expect(toYaml({ spec: { b: ['x', { k: 1 }], a: '' }, metadata: { creationTimestamp: '2024-01-01T00:00:00Z', num: '1', n: 'x' } })).toBe(
      'metadata:\n  creationTimestamp: "2024-01-01T00:00:00Z"\n  "n": x\n  num: "1"\nspec:\n  a: ""\n  b:\n  - x\n  - k: 1\n',
    );
  });
});

describe('kubectl', () => {
  it('prints kubectl errors with kubectl status codes', () => {
    const sh = shell();
    expect(sh.run('kubectl get foo')).toMatchObject({ stdout: '', stderr: 'error: the server doesn\'t have a resource type "foo"\n', status: 1 });
    expect(sh.run('kubectl get pod x')).toMatchObject({ stderr: 'Error from server (NotFound): pods "x" not found\n', status: 1 });
    expect(sh.run('kubectl get pods -n empty')).toMatchObject({ stdout: '', stderr: 'No resources found in empty namespace.\n', status: 0 });
    expect(sh.run('kubectl exec client ls')).toMatchObject({ status: 1 });
    expect(sh.run('kubectl frob').stderr).toBe('error: unknown command "frob" for "kubectl"\nRun \'kubectl --help\' for usage.\n');
  });

  it('accepts aliases, -o name and pod/NAME forms', () => {
    const sh = shell();
    expect(sh.run('kubectl get no -o name').stdout).toBe('node/control-plane\nnode/worker-1\nnode/worker-2\n');
    expect(sh.run('kubectl get po/client -o jsonpath={.status.podIP}').stdout).toBe('10.244.1.2');
    expect(sh.run('kubectl get pods -l app=web -o name').stdout).toBe('pod/web-7d9f8c6b4-q8z4m\npod/web-7d9f8c6b4-x2p9k\n');
    expect(sh.run('kubectl get pods -A -l "run in (netshoot)" -o name').stdout).toBe('pod/netshoot\n');
  });

  it('runs, execs and deletes pods through the engine ops', () => {
    const sh = shell();
    expect(sh.run('kubectl run t --image=busybox:1.36 --restart=Never').stdout).toBe('pod/t created\n');
    expect(sh.run('kubectl run t --image=busybox').stderr).toBe('Error from server (AlreadyExists): pods "t" already exists\n');
    expect(sh.run('kubectl exec t -- hostname').stdout).toBe('t\n');
    expect(sh.run('kubectl exec t -- sh -c "exit 3"')).toMatchObject({ stderr: 'command terminated with exit code 3\n', status: 3 });
    expect(sh.run('kubectl delete pod t').stdout).toBe('pod "t" deleted\n');
    expect(sh.run('kubectl delete pod t')).toMatchObject({ stderr: 'Error from server (NotFound): pods "t" not found\n', status: 1 });
    expect(sh.run('kubectl apply -f missing.yaml').stderr).toBe('error: the path "missing.yaml" does not exist\n');
  });

  it('prints the service range from cluster-info dump', () => {
    expect(shell().run('kubectl cluster-info dump | grep -m 1 service-cluster-ip-range').stdout).toBe('                            "--service-cluster-ip-range=10.96.0.0/12",\n');
    expect(shell().run('kubectl cluster-info dump | grep -m 1 cluster-cidr').stdout).toContain('--cluster-cidr=10.244.0.0/16');
  });
});
