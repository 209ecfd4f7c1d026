/**
 * Golden transcript of the Service commands on src/scenarios/services.yaml (ClusterIP with
 * named multi-port targets, NodePort, LoadBalancer, headless, ExternalName, ClientIP affinity).
 * Regenerate with `npx vitest run -u src/engine/shell/kubectl` after checking the diff.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineShell } from '../../engineShell';
import { loadCluster } from '../../index';

const SCENARIO = { name: 'services.yaml', text: readFileSync(new URL('../../../scenarios/services.yaml', import.meta.url), 'utf8') };

function transcript(lines: string[]): string {
  const loaded = loadCluster([SCENARIO]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const sh = engineShell(loaded.value);
  let t = '';
  for (const line of lines) {
    const r = sh.run(line);
    t += `$ ${line}\n${r.stdout}${r.stderr}`;
    if (r.status !== 0) t += `[exit ${r.status}]\n`;
  }
  return t;
}

describe('kubectl Service commands', () => {
  it('prints services, endpoints, endpointslices and configmaps like kubectl', async () => {
    const t = transcript([
      'kubectl get svc',
      'kubectl get services -o wide -A',
      'kubectl get svc -l app=backend',
      'kubectl get ep',
      'kubectl get endpoints -n kube-system',
      'kubectl get endpointslices -A',
      'kubectl get svc frontend -o yaml',
      'kubectl get ep backend-headless -o json',
      'kubectl get endpointslices -l kubernetes.io/service-name=frontend-lb -o yaml',
      'kubectl get configmaps',
      'kubectl get cm frontend-config -o yaml',
      'kubectl get svc missing',
    ]);
    await expect(t).toMatchFileSnapshot('./__golden__/services-get.txt');
  });

  it('describes services like kubectl describe', async () => {
    const t = transcript(['kubectl describe svc backend', 'kubectl describe svc frontend-lb', 'kubectl describe svc search', 'kubectl describe svc kube-dns -n kube-system']);
    await expect(t).toMatchFileSnapshot('./__golden__/services-describe.txt');
  });

  it('exposes pods and deployments through the engine', async () => {
    const t = transcript([
      'kubectl expose deployment frontend --name=web --port=8080 --target-port=http --type=NodePort',
      'kubectl get svc web',
      'kubectl expose deployment frontend --name=web --port=80',
      'kubectl expose deploy/backend --name=backend-all',
      'kubectl get svc backend-all -o wide',
      'kubectl expose deployment nope --port=80',
    ]);
    await expect(t).toMatchFileSnapshot('./__golden__/services-expose.txt');
  });
});
