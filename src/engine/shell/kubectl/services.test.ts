/**
 * Golden transcript of the Service commands on src/scenarios/services.yaml (ClusterIP with
 * named multi-port targets, NodePort, LoadBalancer, headless, ExternalName, ClientIP affinity).
 * Regenerate with `npx vitest run -u src/engine/shell/kubectl` after checking the diff.
 */
import { describe, expect, it } from 'vitest';
import { scenarioTranscript } from './transcript';

const transcript = (lines: string[]) => scenarioTranscript('services.yaml', lines);

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
