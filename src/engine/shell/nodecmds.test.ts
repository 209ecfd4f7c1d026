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

describe('ping arguments and bounds', () => {
  const sh = () => createShell({ cluster: referenceCluster(), trace: undefined });
  it("iputils' strtol_or_err messages; busybox's xatou messages", () => {
    const s = sh();
    s.run('ssh worker-1');
    expect(s.run('ping -c abc 10.0.0.1')).toMatchObject({ stderr: "ping: invalid argument: 'abc'\n", status: 1 });
    expect(s.run('ping -c 0 10.0.0.1')).toMatchObject({ stderr: "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807\n", status: 1 });
    expect(s.run('ping -c 1e9 10.0.0.1').stderr).toBe("ping: invalid argument: '1e9'\n");
    expect(s.run('ping -s -1 10.0.0.1').stderr).toBe("ping: invalid argument: '-1': out of range: 0 <= value <= 2147483647\n");
    expect(s.run('ping -s 70000 10.0.0.1')).toMatchObject({ stderr: 'ping: packet size 70000 is too large. Maximum is 65507\n', status: 2 });
    expect(s.run('ping -c 99999999999999999999 10.0.0.1').stderr).toBe("ping: invalid argument: '99999999999999999999': Numerical result out of range\n");
    s.run('exit');
    s.run('kubectl exec -it client -- sh');
    expect(s.run('ping -c abc 10.0.0.1')).toMatchObject({ stderr: "ping: invalid number 'abc'\n", status: 1 });
    expect(s.run('ping -s -1 10.0.0.1').stderr).toBe("ping: invalid number '-1'\n");
  });
});

describe('lsmod', () => {
  it("lists the node's modules in lsmod's columns, vxlan with Flannel's VXLAN device, and only on a node", () => {
    const sh = createShell({ cluster: referenceCluster() });
    expect(sh.run('lsmod').status).toBe(127);
    sh.run('ssh worker-1');
    const r = sh.run('lsmod');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Module                  Size  Used by');
    expect(lines).toContain('br_netfilter           32768  0');
    expect(lines).toContain('bridge                307200  1 br_netfilter');
    expect(lines).toContain('llc                    16384  2 bridge,stp');
    expect(lines.some((l) => l.startsWith('vxlan '))).toBe(true);
    expect(lines.some((l) => l.startsWith('ip_vs '))).toBe(false);
    expect(sh.run('lsmod | grep -c overlay').stdout).toBe('1\n');
  });
});

describe('sysctl', () => {
  it('a prefix (a /proc/sys directory) lists every key under it; -a and -n agree with single keys', () => {
    const s = createShell({ cluster: referenceCluster() });
    s.run('ssh worker-1');
    const all = s.run('sysctl -a').stdout.split('\n').filter(Boolean);
    const bridge = all.filter((l) => l.startsWith('net.bridge.'));
    expect(bridge.length).toBeGreaterThan(0);
    expect(s.run('sysctl net.bridge')).toMatchObject({ stdout: bridge.map((l) => `${l}\n`).join(''), status: 0 });
    expect(s.run('sysctl net/bridge').stdout).toBe(s.run('sysctl net.bridge').stdout);
    for (const l of all) {
      const [k, v] = l.split(' = ');
      expect(s.run(`sysctl ${k}`).stdout).toBe(`${l}\n`);
      expect(s.run(`sysctl -n ${k}`).stdout).toBe(`${v}\n`);
    }
    expect(s.run('sysctl -a -n').stdout.split('\n').filter(Boolean)).toEqual(all.map((l) => l.split(' = ')[1]));
    expect(s.run('sysctl net.brid')).toMatchObject({ stderr: 'sysctl: cannot stat /proc/sys/net/brid: No such file or directory\n', status: 255 });
  });
});
