/**
 * Issue 13 points 1, 5, 6, 8 and 9, as a student meets them on a laptop (1366×768 and
 * 1280×720): a NetworkPolicy Flannel does not enforce looks like one (Edit tab, YAML lint, a
 * mark on the pods, the trace summary); on Calico the drop is a ✕ at the hook with the policy's
 * name, drawn where the kernel has the packet; the terminal can be left with Escape then Tab;
 * the first prompt and the hints agree; FROM/TO survive a reload, an edit re-traces and says
 * so, exported YAML carries RFC 3339 timestamps. Screenshots: test-results/screenshots/honesty-*.png.
 */
import { expect, test, type Page } from '@playwright/test';

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
];

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/honesty-${name}-${page.viewportSize()!.width}x${page.viewportSize()!.height}.png` });

async function openDemo(page: Page, size: { width: number; height: number }) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize(size);
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('honesty-e2e')) {
      localStorage.clear();
      sessionStorage.setItem('honesty-e2e', '1');
    }
  });
  await page.goto('./');
  await expect(page.getByTestId('cluster-facts')).toContainText('demo');
  return errors;
}

async function shell(page: Page, line: string) {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

const terminalText = (page: Page) => page.locator('.xterm-rows').innerText();

/** A default-deny ingress policy from the Edit tab's form. */
async function denyIngress(page: Page, name: string, target: string) {
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('np-name').fill(name);
  await page.getByTestId('np-target').fill(target);
  await page.getByTestId('np-deny').check();
  await page.getByTestId('np-apply').click();
}

async function traceTo(page: Page, from: string, toLabel: RegExp) {
  await page.getByTestId('tab-trace').click();
  await page.getByTestId('trace-from').selectOption(from);
  const option = page.getByTestId('trace-to').locator('option').filter({ hasText: toLabel }).first();
  await page.getByTestId('trace-to').selectOption((await option.getAttribute('value'))!);
  await page.getByTestId('trace-run').click();
}

for (const size of SIZES) {
  test(`${size.width}×${size.height}: a policy flannel does not enforce says so in the Edit tab, the YAML, on the pod and in the trace`, async ({ page }) => {
    const errors = await openDemo(page, size);
    await shell(page, 'kubectl run busybox-2 --image=busybox:1.36');
    await expect(page.getByTestId('pod-default-busybox-2')).toHaveAttribute('data-pod-ip', /^10\.244\./);

    await page.getByTestId('tab-edit').click();
    // Said before anything is applied…
    await expect(page.getByTestId('np-enforcement')).toContainText('flannel does not enforce NetworkPolicy');
    await denyIngress(page, 'deny-busybox-2', 'run=busybox-2');
    // …and after: the policy is listed, and the notice counts it.
    await expect(page.getByTestId('np-enforcement')).toContainText('The policy below is stored and listed, but all traffic still flows.');
    const mark = page.getByTestId('pod-default-busybox-2').getByTestId('policy-mark');
    await expect(mark).toHaveText('⚠ not enforced by flannel');
    await expect(mark).toHaveAttribute('data-enforced', 'false');
    await expect(page.getByTestId('pod-default-client').getByTestId('policy-mark')).toHaveCount(0);

    await page.getByTestId('tab-scenario').click();
    await expect(page.getByTestId('policy-lint')).toContainText('accepted but not enforced: flannel does not enforce NetworkPolicy');
    // The gutter marks the policy's `kind:` line (CodeMirror draws the lines in view: go to the end).
    await page.getByTestId('yaml-editor').click();
    await page.keyboard.press('Control+End');
    await expect(page.locator('.cm-lint-marker-warning')).toHaveCount(1);

    await traceTo(page, 'default/client', /^default\/busybox-2 /);
    await expect(page.getByTestId('verdict-request')).toHaveText('delivered');
    await expect(page.getByTestId('trace-summary')).toHaveText('⚠ delivered — NetworkPolicy deny-busybox-2 selects busybox-2 but flannel does not enforce NetworkPolicy');
    await shot(page, 'policy-not-enforced');
    expect(errors).toEqual([]);
  });

  test(`${size.width}×${size.height}: on Calico the policy drop is a ✕ at the FORWARD hook naming the policy, where the kernel has the packet`, async ({ page }) => {
    const errors = await openDemo(page, size);
    await denyIngress(page, 'deny-web', 'app=web');
    await page.getByTestId('np-switch-calico').click();
    await expect(page.getByTestId('fact-cni')).toHaveText('CNI calico');
    await expect(page.getByTestId('np-enforcement')).toContainText("Calico's Felix enforces NetworkPolicy");
    await expect(page.getByTestId('pod-default-client').getByTestId('policy-mark')).toHaveCount(0);
    const web = page.locator('[data-testid^="pod-default-web-"]');
    await expect(web.first().getByTestId('policy-mark')).toHaveText('policy: deny-web');

    // client (worker-1) → a web pod on worker-2.
    await traceTo(page, 'default/client', /^default\/web-.*worker-2\)$/);
    await expect(page.getByTestId('verdict-request')).toHaveText('dropped');
    await expect(page.getByTestId('trace-summary')).toContainText('✕ dropped by NetworkPolicy deny-web (calico-felix in FORWARD, ingress)');

    const hops = page.getByTestId('hop');
    const n = await hops.count();
    const layer = page.getByTestId('packet-layer');
    // The routing decision on worker-2 and the FORWARD drop are at the same place: eth0, where the packet arrived.
    await hops.nth(n - 2).click();
    await expect(hops.nth(n - 2)).toContainText('route');
    await expect(hops.nth(n - 2)).toContainText('forwarded: TTL 63 → 62');
    await expect(layer).toHaveAttribute('data-anchor', 'dev:worker-2:eth0');
    await expect(layer).toHaveAttribute('data-drop', '');
    await hops.nth(n - 1).click();
    await expect(layer).toHaveAttribute('data-anchor', 'dev:worker-2:eth0');
    await expect(layer).toHaveAttribute('data-drop', '✕ dropped by NetworkPolicy deny-web (calico-felix in FORWARD, ingress)');
    await expect(page.getByTestId('packet-drop')).toHaveText('✕ dropped by NetworkPolicy deny-web (calico-felix in FORWARD, ingress)');
    await page.waitForTimeout(600); // the glide ends before the ✕ is drawn
    await shot(page, 'calico-policy-drop');
    expect(errors).toEqual([]);
  });
}

test('the terminal: Tab completes, Escape then Tab or Shift+Tab leaves it, announced to screen readers', async ({ page }) => {
  for (const size of SIZES) {
    await openDemo(page, size);
    const input = page.locator('.xterm-helper-textarea');
    await input.focus();
    await expect(input).toHaveAttribute('aria-describedby', 'terminal-exit-hint');
    await expect(page.locator('#terminal-exit-hint')).toHaveText('To leave the terminal, press Escape, then Tab or Shift+Tab.');
    await expect(page.getByTestId('terminal-announce')).toHaveText('To leave the terminal, press Escape, then Tab or Shift+Tab.');
    await page.keyboard.type('kubectl get po');
    await page.keyboard.press('Tab');
    await expect(input).toBeFocused(); // Tab completes, focus stays
    await expect.poll(() => terminalText(page)).toContain('kubectl get pods');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('terminal-announce')).toHaveText('Escape: now press Tab or Shift+Tab to leave the terminal.');
    await page.keyboard.press('Tab');
    await expect(input).not.toBeFocused();
    const after = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? '');
    expect(after).not.toContain('xterm');
    await shot(page, 'terminal-keyboard-exit');
    await input.focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    await expect(input).not.toBeFocused();
    await page.evaluate(() => sessionStorage.clear());
  }
});

test('the whole journey by keyboard: pick endpoints, trace, step the hops, into the terminal and out again', async ({ page }) => {
  const errors = await openDemo(page, SIZES[0]);
  await page.getByTestId('tab-trace').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('trace-from').focus();
  await page.keyboard.press('Tab'); // to TO
  await expect(page.getByTestId('trace-to')).toBeFocused();
  await page.getByTestId('trace-run').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector')).toContainText('Request · hop 1');
  await page.getByTestId('step').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector')).toContainText('Request · hop 3');
  // Into the terminal and out, by keyboard only.
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type('help');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  await expect(page.locator('.xterm-helper-textarea')).not.toBeFocused();
  expect(errors).toEqual([]);
});

test('the first prompt and the hints agree: help and the Trace panel lead into a pod, where ping works', async ({ page }) => {
  const errors = await openDemo(page, SIZES[0]);
  await page.getByTestId('tab-trace').click();
  await expect(page.getByTestId('trace-hint')).toContainText('kubectl exec -it client -- sh');
  await expect.poll(() => terminalText(page)).toContain('kubectl exec -it client -- sh');
  await shell(page, 'ping -c 1 10.244.2.3');
  await expect.poll(() => terminalText(page)).toContain('sh: ping: not found');
  await expect.poll(() => terminalText(page)).toContain('podpath: ping is not on your workstation');
  // help's first lines say where to go; the docked terminal shows only its last rows, so read them with head.
  await shell(page, 'help | head -3');
  await expect.poll(() => terminalText(page)).toContain('ssh worker-1      then: ip route');
  await shell(page, 'kubectl exec -it client -- sh');
  await shell(page, 'ping -c 1 10.244.2.3');
  await expect.poll(() => terminalText(page)).toContain('1 packets received');
  await expect(page.getByTestId('verdict-request')).toHaveText('delivered');
  expect(errors).toEqual([]);
});

test('FROM/TO survive a reload, an edit traces again and says so, exported YAML has RFC 3339 timestamps, a loading indicator comes first', async ({ page, request }) => {
  const html = await (await request.get('./')).text();
  expect(html).toContain('data-testid="boot-loading"');
  const errors = await openDemo(page, SIZES[0]);
  await page.getByTestId('tab-trace').click();
  await page.getByTestId('trace-from').selectOption('node/worker-2');
  await page.waitForTimeout(800); // autosave is debounced
  await page.reload();
  await expect(page.getByTestId('trace-from')).toHaveValue('node/worker-2');
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('verdict-request')).toBeVisible();
  await shell(page, 'kubectl run probe --image=busybox');
  await expect(page.getByTestId('notice')).toContainText('again after “kubectl run probe --image=busybox”');
  await expect(page.getByTestId('verdict-request')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  const text = (await download.createReadStream().then((s) => s.toArray())).map((c) => c.toString()).join('');
  const stamps = [...text.matchAll(/creationTimestamp: (.*)/g)].map((m) => m[1]);
  expect(stamps.length).toBeGreaterThan(0);
  for (const s of stamps) expect(s).toMatch(/^["']?2024-\d\d-\d\dT\d\d:\d\d:\d\dZ["']?$/);
  // On a laptop-sized canvas the minimap is not drawn over the nodes.
  await expect(page.locator('.react-flow__minimap')).toBeHidden();
  expect(errors).toEqual([]);
});

test('pods added at the bottom of the canvas do not push their node box out of view', async ({ page }) => {
  const errors = await openDemo(page, SIZES[0]);
  for (const n of ['a1', 'a2', 'a3', 'a4', 'a5']) {
    await shell(page, `kubectl run ${n} --image=busybox`);
    await expect(page.getByTestId(`pod-default-${n}`)).toBeVisible();
  }
  await page.waitForTimeout(600); // the camera's pan
  const canvas = (await page.locator('.react-flow').boundingBox())!;
  for (const node of ['worker-1', 'worker-2']) {
    const box = (await page.getByTestId(`k8snode-${node}`).boundingBox())!;
    if (box.height > canvas.height) {
      // Taller than the canvas at the readable zoom floor: it cannot all be in view, and the canvas says so.
      await expect(page.getByText('Part of the cluster is off-screen')).toBeVisible();
      continue;
    }
    expect(box.y + box.height, node).toBeLessThanOrEqual(canvas.y + canvas.height);
    expect(box.y, node).toBeGreaterThanOrEqual(canvas.y);
  }
  expect(errors).toEqual([]);
});
