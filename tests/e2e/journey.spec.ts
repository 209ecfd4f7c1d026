/**
 * The whole lesson, as issue 6 states it: a student who has never seen podpath opens the built
 * site, drags two pods onto different nodes, follows a ping between them hop by hop reading the
 * headers, breaks it with a NetworkPolicy, fixes it, reloads, and shares what they built.
 * Calico enforces policies (Flannel does not), so the student switches to Calico first.
 * Screenshots: test-results/screenshots/journey-*.png.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/journey-${name}.png` });

async function dragOnto(page: Page, source: Locator, target: Locator) {
  await source.hover();
  await page.mouse.down();
  const b = (await target.boundingBox())!;
  await page.mouse.move(b.x + 120, b.y + 60, { steps: 8 });
  await page.mouse.up();
}

async function shell(page: Page, line: string) {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** The terminal's text after the last time `marker` was typed. */
async function outputAfter(page: Page, marker: string): Promise<string> {
  // The rows joined: a line the terminal wrapped (it is narrower beside the inspector) reads whole.
  const text = (await page.locator('.xterm-rows').innerText()).replace(/\n/g, '');
  return text.slice(text.lastIndexOf(marker));
}

async function ping(page: Page, from: string, ip: string): Promise<void> {
  const line = `kubectl exec ${from} -- ping -c 1 -W 1 ${ip}`;
  await shell(page, line);
  await expect.poll(() => outputAfter(page, line)).toMatch(/packets transmitted/);
}

const podIp = async (pod: Locator) => (await pod.getAttribute('data-pod-ip'))!;

test('drag two pods, ping across nodes hop by hop, break it with a policy, fix it, reload, share', async ({ page, browser }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('journey-e2e')) {
      localStorage.clear();
      sessionStorage.setItem('journey-e2e', '1');
    }
  });
  await page.goto('./');
  await expect(page.getByTestId('cluster-facts')).toContainText('demo');
  // The palette starts closed on a laptop-sized window.
  if ((await page.getByTestId('palette-toggle').getAttribute('aria-expanded')) === 'false') await page.getByTestId('palette-toggle').click();

  // Calico enforces NetworkPolicy; the same cluster is re-plumbed.
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('cni-mode').selectOption('calico');
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI calico');

  // Two pods from the palette, one on each worker.
  await dragOnto(page, page.getByTestId('palette-nginx'), page.getByTestId('k8snode-worker-1'));
  const server = page.getByTestId('pod-default-nginx-1');
  await expect(server).toHaveAttribute('data-pod-ip', /^10\.244\.\d+\.\d+$/);
  await dragOnto(page, page.getByTestId('palette-busybox'), page.getByTestId('k8snode-worker-2'));
  const client = page.getByTestId('pod-default-busybox-1');
  await expect(client).toHaveAttribute('data-pod-ip', /^10\.244\.\d+\.\d+$/);
  const serverIp = await podIp(server);
  const clientIp = await podIp(client);
  await shot(page, 'two-pods');

  // A ping across nodes, followed hop by hop: the inspector shows the layers at each hop.
  await ping(page, 'busybox-1', serverIp);
  expect(await outputAfter(page, `ping -c 1 -W 1 ${serverIp}`)).toContain('1 packets received');
  await page.getByTestId('tab-trace').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('Request · hop 1');
  await page.locator('.topbar__brand').click();
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const text = (await inspector.innerText()).replace(/\s+/g, ' ');
    if (text.includes('cali')) seen.add('cali');
    if (text.includes(clientIp) && text.includes(serverIp)) seen.add('addresses');
    if (/TTL\s*6[0-3]/.test(text)) seen.add('ttl');
    await page.keyboard.press('ArrowRight');
  }
  expect([...seen].sort()).toEqual(['addresses', 'cali', 'ttl']);
  await shot(page, 'hop-by-hop');

  // Break it: a default-deny ingress policy on the nginx pod.
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('np-name').fill('deny-nginx');
  await page.getByTestId('np-target').fill('app=nginx');
  await page.getByTestId('np-deny').check();
  await page.getByTestId('np-apply').click();
  await ping(page, 'busybox-1', serverIp);
  expect(await outputAfter(page, `ping -c 1 -W 1 ${serverIp}`)).toContain('0 packets received');
  // The packet's last hop is where it was dropped, and why.
  await page.getByTestId('tab-trace').click();
  await page.getByTestId('hop').last().click();
  await expect(page.getByTestId('drop-reason')).toContainText('deny-nginx');
  await shot(page, 'dropped-by-policy');

  // Fix it: delete the policy from the terminal, as on a real cluster.
  await shell(page, 'kubectl delete networkpolicy deny-nginx');
  await expect.poll(() => outputAfter(page, 'kubectl delete networkpolicy deny-nginx')).toContain('deleted');
  await ping(page, 'busybox-1', serverIp);
  expect(await outputAfter(page, `ping -c 1 -W 1 ${serverIp}`)).toContain('1 packets received');

  // Reload: the pods, their addresses and the CNI are still there.
  await page.waitForTimeout(800); // autosave is debounced
  await page.reload();
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI calico');
  await expect(page.getByTestId('pod-default-nginx-1')).toHaveAttribute('data-pod-ip', serverIp);
  await expect(page.getByTestId('pod-default-busybox-1')).toHaveAttribute('data-pod-ip', clientIp);

  // Share: a fresh browser opens the same cluster from the link.
  await page.getByTestId('share-menu').click();
  await page.getByTestId('share-make').click();
  const link = await page.getByTestId('share-link').inputValue();
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('fact-cni')).toHaveText('CNI calico');
  await expect(other.getByTestId('pod-default-nginx-1')).toHaveAttribute('data-pod-ip', serverIp);
  await expect(other.getByTestId('pod-default-busybox-1')).toHaveAttribute('data-pod-ip', clientIp);
  await shot(other, 'shared');
  await fresh.close();
  expect(errors).toEqual([]);
});

test('the Linux lab script downloads from the app; a mode Linux cannot build says why', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('cluster-facts')).toContainText('demo');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-linux').click()]);
  expect(download.suggestedFilename()).toBe('lab.sh');
  const text = await (await download.createReadStream())!.toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  expect(text).toContain('#!/usr/bin/env bash');
  expect(text).toContain('flannel.1');
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('cni-mode').selectOption('cilium');
  await page.getByTestId('export-linux').click();
  await expect(page.getByTestId('notice')).toContainText('cannot export CNI mode cilium');
});
