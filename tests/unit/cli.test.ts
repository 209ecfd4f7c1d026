/**
 * The `podpath` CLI end to end: spawns `node bin/podpath.mjs` (as `npx podpath` does) on the
 * demo scenario and checks exit statuses and the key lines of check, sh, trace and demo.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const DEMO = 'src/scenarios/demo.yaml';

function podpath(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/podpath.mjs', ...args], { cwd: root, input: input ?? '', encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('podpath CLI', () => {
  it('prints help and rejects unknown commands and options with status 2', () => {
    const help = podpath(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: podpath <command>');
    const traceHelp = podpath(['trace', '--help']);
    expect(traceHelp.status).toBe(0);
    expect(traceHelp.stdout).toContain('--proto P');
    const bad = podpath(['check', '-f', DEMO, '--bogus']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("podpath check: Unknown option '--bogus'");
    expect(podpath(['frobnicate']).status).toBe(2);
    expect(podpath(['check']).stderr).toContain('no scenario given');
  });

  it('check summarizes the demo cluster', () => {
    const r = podpath(['check', '-f', DEMO]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Cluster: +demo$/m);
    expect(r.stdout).toMatch(/^CNI: +flannel$/m);
    expect(r.stdout).toMatch(/^kube-proxy: +iptables$/m);
    expect(r.stdout).toContain('3 nodes:');
    expect(r.stdout).toMatch(/^control-plane +control-plane +192\.168\.1\.\d+ +10\.244\.0\.0\/24 +\d+$/m);
    expect(r.stdout).toMatch(/^worker-1 +<none> +192\.168\.1\.\d+ +10\.244\.1\.0\/24 +\d+$/m);
    expect(r.stdout).toMatch(/^kube-system +\d+$/m);
  });

  it('check reads standard input with -f - and reports errors with file and line, status 1', () => {
    const demo = readFileSync(join(root, DEMO), 'utf8');
    expect(podpath(['check', '-f', '-'], demo).status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'podpath-cli-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers: []\n');
    const r = podpath(['check', '-f', bad]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^${bad.replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+: `, 'm'));
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    const missing = podpath(['check', '-f', join(dir, 'nope.yaml')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nope.yaml: No such file or directory');
  });

  it('sh -c runs one line with its output and status', () => {
    const r = podpath(['sh', '-f', DEMO, '-c', 'kubectl get pods -o wide']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/);
    expect(r.stdout).toMatch(/^client +1\/1 +Running +0 +\S+ +10\.244\.1\.\d+ +worker-1 /m);
    const missing = podpath(['sh', '-f', DEMO, '-c', 'kubectl get pod nope']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(podpath(['sh', '-f', DEMO, '-c', 'nosuchcmd']).status).toBe(127);
  });

  it('sh reads a script from standard input and prints outputs in order', () => {
    const r = podpath(['sh', '-f', DEMO], 'echo first\nssh worker-2\nhostname\nexit\necho last\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('first\nworker-2\nlogout\nlast\n');
  });

  it('trace follows a packet between pods on different nodes, as text and as JSON', () => {
    const names = podpath(['sh', '-f', DEMO, '-c', "kubectl get pods -l app=web -o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName}{\"\\n\"}{end}'"]);
    expect(names.status).toBe(0);
    const remote = names.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .find(([, node]) => node !== 'worker-1');
    expect(remote).toBeDefined();
    const text = podpath(['trace', '-f', DEMO, 'default/client', `default/${remote![0]}`]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('flannel.1');
    const json = podpath(['trace', '-f', DEMO, 'client', remote![0], '--json']);
    expect(json.status).toBe(0);
    const t = JSON.parse(json.stdout);
    expect(t.verdict).toBe('delivered');
    expect(t.hops.length).toBeGreaterThan(3);
    const encap = t.hops.find((h: { packet: { encap?: unknown } }) => h.packet.encap);
    expect(encap.packet.encap).toMatchObject({ type: 'vxlan', dstPort: 8472, vni: 1 });
    expect(t.reply.verdict).toBe('delivered');
  });

  it('trace exits 1 when the packet is not delivered', () => {
    const r = podpath(['trace', '-f', DEMO, 'default/client', '10.244.77.9', '--json']);
    expect(r.status).toBe(1);
    expect(['dropped', 'unreachable']).toContain(JSON.parse(r.stdout).verdict);
  });

  it('demo prints the demo scenario', () => {
    const r = podpath(['demo']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(root, DEMO), 'utf8'));
  });
});
