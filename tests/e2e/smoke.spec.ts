/**
 * Smoke test of the built app on the demo cluster: it renders, a cross-node trace goes
 * through flannel.1 with VXLAN encapsulation, and a broken scenario is reported with its
 * line while the drawing keeps the last good cluster. Screenshots go to
 * test-results/screenshots/ for a human to look at.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png` });

async function openDemo(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await expect(page.getByTestId('cluster-facts')).toContainText('demo');
  return errors;
}

test('opens on the demo cluster: three nodes and their pods', async ({ page }) => {
  const errors = await openDemo(page);
  await expect(page).toHaveTitle(/podpath/);
  await expect(page.getByTestId('segment')).toContainText('192.168.1.0/24');
  for (const node of ['control-plane', 'worker-1', 'worker-2']) {
    await expect(page.getByTestId(`k8snode-${node}`)).toBeVisible();
    await expect(page.getByTestId(`dev-${node}-eth0`)).toBeVisible();
    await expect(page.getByTestId(`dev-${node}-flannel.1`)).toBeVisible();
  }
  await expect(page.getByTestId('k8snode-worker-1')).toContainText('10.244.1.0/24');
  await expect(page.getByTestId('pod-default-client')).toBeVisible();
  await expect(page.locator('[data-testid^="pod-default-web-"]')).toHaveCount(3);
  // System pods are folded into a count per node until asked for.
  await expect(page.locator('[data-testid^="pod-kube-system-coredns-"]')).toHaveCount(0);
  await page.getByTestId('system-pods').click();
  await expect(page.locator('[data-testid^="pod-kube-system-coredns-"]')).toHaveCount(2);
  await shot(page, 'demo-cluster');
  expect(errors).toEqual([]);
});

test('traces a pod to a pod on another node through flannel.1 and VXLAN', async ({ page }) => {
  await openDemo(page);
  await expect(page.getByTestId('trace-from')).toHaveValue('default/client');
  const to = page.getByTestId('trace-to');
  const remoteWeb = await to.locator('option', { hasText: /^default\/web-.*worker-2\)$/ }).first().getAttribute('value');
  expect(remoteWeb).toBeTruthy();
  await to.selectOption(remoteWeb!);
  await page.getByTestId('trace-run').click();

  const hops = page.getByTestId('hop');
  await expect(page.getByTestId('verdict-request')).toHaveText('delivered');
  await expect(page.getByTestId('verdict-reply')).toHaveText('delivered');
  await expect(hops.filter({ hasText: 'flannel.1' }).first()).toBeVisible();
  const encap = hops.filter({ has: page.locator('.action--encap') }).first();
  await expect(encap).toContainText('flannel.1');
  await expect(encap).toContainText(/VXLAN 192\.168\.1\.11 → 192\.168\.1\.12 vni 1 :8472/);

  // Select the encap hop: it becomes current and the canvas draws the packet.
  await encap.click();
  await expect(encap).toHaveClass(/is-current/);
  await page.waitForTimeout(600); // let the packet glide to flannel.1
  await shot(page, 'trace-encap');

  // Step forward onto the node network.
  await page.getByTestId('step').click();
  await page.getByTestId('step').click();
  await page.getByTestId('step').click();
  await expect(page.locator('.hop.is-current')).toContainText('wire');
  await page.waitForTimeout(600);
  await shot(page, 'trace-wire');

  // Play advances on its own, pause stops it.
  const position = page.locator('.playback__pos');
  const before = await position.innerText();
  await page.getByTestId('play').click();
  await expect(position).not.toHaveText(before, { timeout: 3_000 });
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('play')).toBeVisible();
});

test('an invalid scenario shows file:line:col and keeps the previous cluster', async ({ page }) => {
  await openDemo(page);
  await page.getByTestId('tab-scenario').click();
  // The YAML view is CodeMirror (a contenteditable); the app starts on the demo scenario.
  const editor = page.getByTestId('yaml-editor');
  const demo = readFileSync('src/scenarios/demo.yaml', 'utf8');
  const broken = demo.replace('cni: flannel', 'cni: flannel\n   oops: [');
  const line = broken.split('\n').findIndex((l) => l.includes('oops: [')) + 1;
  await editor.fill(broken);
  await page.getByTestId('apply').click();

  const errors = page.getByTestId('scenario-errors');
  await expect(errors).toBeVisible();
  await expect(errors).toContainText(new RegExp(`scenario\\.yaml:${line}:\\d+:`));
  // The drawing still shows the demo cluster.
  await expect(page.getByTestId('k8snode-worker-2')).toBeVisible();
  await expect(page.getByTestId('pod-default-client')).toBeVisible();
  await expect(page.getByTestId('cluster-facts')).toContainText('demo');
  await shot(page, 'scenario-error');

  // Fixing it applies again.
  await editor.fill(demo.replace('name: demo', 'name: demo-2'));
  await page.getByTestId('apply').click();
  await expect(errors).toHaveCount(0);
  await expect(page.getByTestId('cluster-facts')).toContainText('demo-2');
});

test('dark mode follows the system @dark', async ({ page }) => {
  await openDemo(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(15, 17, 21)');
  await page.getByTestId('trace-run').click();
  await page.getByTestId('hop').nth(6).click();
  await page.waitForTimeout(600);
  await shot(page, 'dark');
});

test('compare: the same trace under Flannel VXLAN and Calico BGP side by side', async ({ page }) => {
  await openDemo(page);
  const to = page.getByTestId('trace-to');
  const remoteWeb = await to.locator('option', { hasText: /^default\/web-.*worker-2\)$/ }).first().getAttribute('value');
  await to.selectOption(remoteWeb!);
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('verdict-request')).toHaveText('delivered');
  await page.getByTestId('compare-toggle').click();
  const left = page.getByTestId('compare-side-0');
  const right = page.getByTestId('compare-side-1');
  await expect(left.getByRole('combobox')).toHaveValue('flannel');
  await expect(right.getByRole('combobox')).toHaveValue('calico');
  // VXLAN adds outer Ethernet + IP + UDP + VXLAN = 50 bytes; Calico BGP routes the pod packet as it is.
  await expect(left.getByTestId('compare-overhead')).toContainText('+50 B');
  await expect(right.getByTestId('compare-overhead')).toContainText('none');
  // The paths, aligned hop by hop: flannel.1 (VXLAN) on the left only.
  const path = page.getByTestId('compare-request');
  await expect(path.locator('td[data-side="0"]', { hasText: 'flannel.1' }).first()).toBeVisible();
  await expect(path.locator('td[data-side="1"]', { hasText: 'flannel.1' })).toHaveCount(0);
  await shot(page, 'compare-flannel-calico');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('compare')).toHaveCount(0);
  // The app's own cluster is untouched by comparing.
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI flannel');
});
