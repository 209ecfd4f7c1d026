import { describe, expect, it } from 'vitest';
import { createShell } from './Shell';
import { referenceCluster } from './fixture';

describe('crictl ps --name', () => {
  it("filters by container name with Go's regexp; a pattern Go refuses matches nothing (no crash)", () => {
    const sh = createShell({ cluster: referenceCluster() });
    sh.run('ssh worker-1');
    const all = sh.run('crictl ps -q').stdout.split('\n').filter(Boolean);
    expect(all.length).toBeGreaterThan(1);
    expect(sh.run("crictl ps --name '.*' -q").stdout.split('\n').filter(Boolean)).toEqual(all);
    expect(sh.run("crictl ps --name '(' -q")).toMatchObject({ stdout: '', status: 0 });
    expect(sh.run("crictl ps --name '('").stdout).toMatch(/^CONTAINER\s+IMAGE\s+CREATED\s+STATE\s+NAME\s+ATTEMPT\s+POD ID\s+POD\n$/);
    expect(sh.run("crictl ps --name '^(a+)+$' -q").stdout).toBe('');
  });
});
