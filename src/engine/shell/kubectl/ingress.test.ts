/**
 * Golden transcript of the Ingress commands on src/scenarios/ingress.yaml, and curl from the
 * workstation through the cloud LB and ingress-nginx. Regenerate with
 * `npx vitest run -u src/engine/shell/kubectl` after checking the diff.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineShell } from '../../engineShell';
import { loadCluster } from '../../index';
import { scenarioTranscript } from './transcript';

const SCENARIO = { name: 'ingress.yaml', text: readFileSync(new URL('../../../scenarios/ingress.yaml', import.meta.url), 'utf8') };

const transcript = (lines: string[]) => scenarioTranscript('ingress.yaml', lines);

describe('kubectl Ingress commands', () => {
  it('prints ingresses and ingressclasses like kubectl', async () => {
    const t = transcript([
      'kubectl get ingress',
      'kubectl get ing -A -o wide',
      'kubectl get ingressclass',
      'kubectl describe ingress shop',
      'kubectl describe ing wildcard',
      'kubectl get ingress nope',
      'kubectl get svc -n ingress-nginx',
    ]);
    await expect(t).toMatchFileSnapshot('__golden__/ingress-get.txt');
  });

  it('curl on the workstation reaches the Ingress through the cloud LB', () => {
    const loaded = loadCluster([SCENARIO]);
    if (!loaded.ok) throw new Error('load');
    const sh = engineShell(loaded.value);
    const ok = sh.run("curl -s -H 'Host: shop.example.com' http://203.0.113.1/api/cart");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^Hostname: api-/);
    // nginx opened its own connection: the backend sees the controller pod, and the path unchanged.
    const controller = [...loaded.value.pods.values()].find((p) => p.meta.namespace === 'ingress-nginx')!;
    expect(ok.stdout).toContain(`RemoteAddr: ${[24, 16, 8, 0].map((s) => (controller.attachment!.ip >>> s) & 255).join('.')}:`);
    expect(ok.stdout).toContain('GET /api/cart HTTP/1.1');
    expect(sh.run("curl -s -o /dev/null -w '%{http_code}' -H 'Host: nowhere.test' http://203.0.113.1/").stdout).toBe('200');
    expect(sh.run('curl -s http://203.0.113.1:8080/').status).toBe(28);
    const none = sh.run('curl -s -o /dev/null -w "%{http_code}" http://203.0.113.1/');
    expect(none.stdout).toBe('200');
    const resolved = sh.run('curl -s --resolve shop.example.com:80:203.0.113.1 http://shop.example.com/');
    expect(resolved.stdout).toMatch(/Welcome to nginx/);
  });
});
