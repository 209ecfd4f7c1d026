import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineShell, loadCluster } from '../index';

const demo = readFileSync(join(__dirname, '../../scenarios/demo.yaml'), 'utf8');

describe('shell history: command records and trace requests', () => {
  it('records each line with its status, output and place, and the traces ping/curl ran (not DNS queries)', () => {
    const c = loadCluster([{ name: 'demo.yaml', text: demo }]);
    if (!c.ok) throw new Error('load');
    const sh = engineShell(c.value);
    sh.run('kubectl get nodes');
    sh.run('kubectl get pod nope');
    sh.run('kubectl exec -it client -- sh');
    sh.run('wget -qO- -T 2 http://web');
    sh.run('exit');
    sh.run('ssh worker-1');
    sh.run('ip route');
    expect(sh.commands.map((r) => [r.line, r.status, r.place])).toEqual([
      ['kubectl get nodes', 0, 'host'],
      ['kubectl get pod nope', 1, 'host'],
      ['kubectl exec -it client -- sh', 0, 'host'],
      ['wget -qO- -T 2 http://web', 0, 'pod default/client'],
      ['exit', 0, 'pod default/client'],
      ['ssh worker-1', 0, 'host'],
      ['ip route', 0, 'node worker-1'],
    ]);
    expect(sh.commands[0].stdout).toMatch(/^NAME\s+STATUS/);
    // wget resolved `web` through CoreDNS (not recorded), then connected to the ClusterIP on 80.
    expect(sh.traceRequests).toEqual([expect.objectContaining({ from: 'default/client', proto: 'tcp', port: 80 })]);
    expect(sh.traceRequests[0].to).toMatch(/^10\.9[6-9]\./);
  });
});
