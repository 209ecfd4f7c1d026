/**
 * The canvas as a student uses it on the demo cluster (Flannel, worker-1 = 10.244.1.0/24,
 * worker-2 = 10.244.2.0/24): drag a new pod from the palette onto a node and read its IP from
 * that node's range; drag an existing pod to another node and watch its IP change; do the same
 * from the keyboard; zoom out to the overview; add and remove a node; switch theme; export.
 * Screenshots go to test-results/screenshots/ for a human to look at.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/canvas-${name}.png` });

async function openDemo(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A fresh page: no autosaved cluster from an earlier test.
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('canvas-e2e')) {
      localStorage.clear();
      sessionStorage.setItem('canvas-e2e', '1');
    }
  });
  await page.goto('./');
  await expect(page.getByTestId('cluster-facts')).toContainText('demo');
  await expect(page.getByTestId('k8snode-worker-2')).toBeVisible();
  await openPalette(page);
  return errors;
}

/** The palette starts closed on a laptop-sized window: open it. */
async function openPalette(page: Page) {
  const toggle = page.getByTestId('palette-toggle');
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
}

/**
 * Drag with the mouse (HTML5 drag and drop, as a user does) and release over a point of the
 * target; whatever is drawn at that point (a device, a pod) belongs to the node box.
 */
async function dragOnto(page: Page, source: Locator, target: Locator, at: { x: number; y: number }) {
  await source.hover();
  await page.mouse.down();
  const b = (await target.boundingBox())!;
  await page.mouse.move(b.x + at.x, b.y + at.y, { steps: 8 });
  await page.mouse.up();
}

/** The pod's box lies inside the node's box on screen. */
async function expectInside(pod: Locator, node: Locator) {
  const p = (await pod.boundingBox())!;
  const n = (await node.boundingBox())!;
  expect(p.x).toBeGreaterThanOrEqual(n.x);
  expect(p.y).toBeGreaterThanOrEqual(n.y);
  expect(p.x + p.width).toBeLessThanOrEqual(n.x + n.width + 1);
  expect(p.y + p.height).toBeLessThanOrEqual(n.y + n.height + 1);
}

test('drag a pod from the palette onto worker-2: it gets an IP from worker-2’s PodCIDR', async ({ page }) => {
  const errors = await openDemo(page);
  const worker2 = page.getByTestId('k8snode-worker-2');
  await expect(page.getByTestId('podcidr-worker-2')).toHaveText('10.244.2.0/24');

  await dragOnto(page, page.getByTestId('palette-nginx'), worker2, { x: 120, y: 60 });
  const pod = page.getByTestId('pod-default-nginx-1');
  await expect(pod).toBeVisible();
  await expect(pod).toHaveAttribute('data-pod-ip', /^10\.244\.2\.\d+$/);
  const ip = (await pod.getAttribute('data-pod-ip'))!;
  // The new pod is announced with its address, and drawn inside worker-2.
  await expect(pod.getByTestId('pod-ip')).toContainText(ip);
  await expectInside(pod, worker2);
  await expect(pod).toContainText('app=nginx');
  await shot(page, 'palette-drop');
  expect(errors).toEqual([]);
});

test('drag an existing pod to another node: the old IP is released and a new one shown', async ({ page }) => {
  await openDemo(page);
  const client = page.getByTestId('pod-default-client');
  const before = (await client.getAttribute('data-pod-ip'))!;
  expect(before).toMatch(/^10\.244\.1\.\d+$/);

  await dragOnto(page, client, page.getByTestId('k8snode-worker-2'), { x: 120, y: 60 });
  await expect(client).toHaveAttribute('data-pod-ip', /^10\.244\.2\.\d+$/);
  const after = (await client.getAttribute('data-pod-ip'))!;
  // The change is on show: "10.244.1.5 → 10.244.2.4".
  await expect(client.getByTestId('pod-ip')).toContainText(`${before} → ${after}`);
  await expectInside(client, page.getByTestId('k8snode-worker-2'));
  await shot(page, 'pod-moved');
});

test('move a pod with the keyboard: select it, press M, choose the node', async ({ page }) => {
  await openDemo(page);
  const web = page.locator('[data-testid^="pod-default-web-"]').first();
  const testId = (await web.getAttribute('data-testid'))!;
  const before = (await web.getAttribute('data-pod-ip'))!;
  const from = before.startsWith('10.244.1.') ? 'worker-1' : 'worker-2';
  const to = from === 'worker-1' ? 'worker-2' : 'worker-1';

  await web.focus();
  await page.keyboard.press('m');
  const chooser = page.getByTestId('node-chooser');
  await expect(chooser).toBeVisible();
  await expect(page.getByTestId(`choose-${from}`)).toBeDisabled();
  await shot(page, 'keyboard-chooser');
  // Focus starts on the first node; arrow down until the target has it.
  for (let i = 0; i < 3 && !(await page.getByTestId(`choose-${to}`).evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(chooser).toHaveCount(0);

  const moved = page.getByTestId(testId);
  await expect(moved).toHaveAttribute('data-pod-ip', to === 'worker-2' ? /^10\.244\.2\.\d+$/ : /^10\.244\.1\.\d+$/);
  await expect(moved).toBeFocused();
  // Escape closes the chooser without a change.
  await page.keyboard.press('m');
  await expect(chooser).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(chooser).toHaveCount(0);
});

test('zoomed out the canvas shows nodes and pod counts; zoomed in, devices and addresses', async ({ page }) => {
  await openDemo(page);
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toHaveAttribute('data-level', 'detail');
  const zoomOut = page.locator('.react-flow__controls-zoomout');
  for (let i = 0; i < 6; i++) await zoomOut.click();
  await expect(canvas).toHaveAttribute('data-level', 'overview');
  await expect(page.getByTestId('podcount-worker-1')).toContainText(/\d+ pods/);
  await expect(page.getByTestId('dev-worker-1-eth0')).toHaveCount(0);
  await shot(page, 'overview');
  await page.locator('.react-flow__controls-fitview').click();
  await expect(canvas).toHaveAttribute('data-level', 'detail');
  await expect(page.getByTestId('dev-worker-1-eth0')).toBeVisible();
});

test('add a node and remove it again', async ({ page }) => {
  await openDemo(page);
  await page.getByTestId('add-node').click();
  const node = page.getByTestId('k8snode-worker-3');
  await expect(node).toBeVisible();
  await expect(page.getByTestId('podcidr-worker-3')).toHaveText('10.244.3.0/24');
  await expect(page.getByTestId('dev-worker-3-eth0')).toContainText('192.168.1.13');
  await shot(page, 'node-added');
  // The new node is brought into view (on a laptop it lands past the canvas' right edge).
  const remove = page.getByTestId('remove-node-worker-3');
  await expect.poll(async () => {
    const [b, c] = await Promise.all([remove.boundingBox(), page.locator('.react-flow').boundingBox()]);
    return !!b && !!c && b.x + b.width <= c.x + c.width && b.x >= c.x;
  }).toBe(true);
  await remove.click();
  await expect(node).toHaveCount(0);
});

test('Services are drawn with their ClusterIP; selecting one shows its endpoints', async ({ page }) => {
  await openDemo(page);
  const svc = page.getByTestId('svc-default-web');
  await expect(svc).toContainText(/10\.9[6-9]\.\d+\.\d+|10\.1[01]\d\.\d+\.\d+/);
  await expect(svc).toContainText('3/3 ready');
  // On a laptop the camera frames the nodes at a readable zoom: the Services band is above, off-screen.
  if (await page.getByTestId('fit-all').isVisible()) await page.getByTestId('fit-all').click();
  await svc.click();
  await expect(page.locator('.react-flow__edge.edge-endpoint')).toHaveCount(3);
  await shot(page, 'service-selected');
});

test('theme, presentation zoom and the SVG export', async ({ page }) => {
  await openDemo(page);
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 17, 21)');
  await page.getByTestId('presentation').click();
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'on');
  await shot(page, 'dark-presentation');
  await page.getByTestId('presentation').click();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  expect(download.suggestedFilename()).toBe('demo.svg');
  const svg = readFileSync((await download.path())!, 'utf8');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svg).toContain('worker-2');
  expect(svg).toContain('10.244.2.0/24');

  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  expect(png.suggestedFilename()).toBe('demo.png');
  const bytes = readFileSync((await png.path())!);
  expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
  await page.getByTestId('theme').selectOption('system');
});

/** tcpdump's reading of a downloaded capture (`-nn -e` and `extra` flags), or null when tcpdump is not installed. */
function tcpdumpRead(file: string, ...extra: string[]): string | null {
  const r = spawnSync('tcpdump', ['-nn', '-e', ...extra, '-r', file], { encoding: 'utf8' });
  if (r.error) {
    test.info().annotations.push({ type: 'skipped', description: 'tcpdump is not installed: the read-back is skipped' });
    return null;
  }
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

async function downloadPcap(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pcapng').click()]);
  expect(download.suggestedFilename()).toMatch(/^demo-.+-to-.+\.pcapng$/);
  const file = (await download.path())!;
  expect(readFileSync(file).subarray(0, 4).toString('hex')).toBe('0a0d0d0a');
  return file;
}

test('@laptop Download pcapng: the current trace as a capture tcpdump reads, on Flannel, Calico IP-in-IP and Cilium (issue 13 point 12)', async ({ page }) => {
  await openDemo(page);
  await expect(page.getByTestId('export-pcapng')).toBeDisabled();
  const toWorker2 = async () => {
    await page.getByTestId('tab-trace').click();
    await page.getByTestId('trace-from').selectOption('default/client');
    const option = page.getByTestId('trace-to').locator('option').filter({ hasText: /^default\/web-.*worker-2\)$/ }).first();
    await page.getByTestId('trace-to').selectOption((await option.getAttribute('value'))!);
    await page.getByTestId('trace-run').click();
    await expect(page.getByTestId('verdict-request')).toHaveText('delivered');
  };
  // Flannel: the VXLAN outer header (node MACs and IPs, port 8472, VNI 1) on the underlay; timestamps in hop order.
  await toWorker2();
  const flannel = tcpdumpRead(await downloadPcap(page), '-T', 'vxlan');
  if (flannel !== null) {
    expect(flannel).toContain('ethertype IPv4 (0x0800)');
    expect(flannel).toMatch(/192\.168\.1\.11\.\d+ > 192\.168\.1\.12\.8472: VXLAN, flags \[I\] \(0x08\), vni 1\n[0-9a-f:]{17} > [0-9a-f:]{17}, ethertype IPv4 \(0x0800\), length 98: 10\.244\.1\.\d+ > 10\.244\.2\.\d+: ICMP echo request/);
    // Packet lines only (tcpdump prints a VXLAN packet's inner frame on a line of its own, starting with a MAC).
    const times = flannel.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{6} /.test(l)).map((l) => l.slice(0, 15));
    expect(times.length).toBeGreaterThan(20);
    expect([...times].sort()).toEqual(times);
  }
  // Calico IP-in-IP: tunl0 has no link layer; the file is Linux cooked so tcpdump reads it; the outer protocol-4 header on the underlay.
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('cni-mode').selectOption('calico-ipip');
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI calico-ipip');
  await toWorker2();
  const ipip = tcpdumpRead(await downloadPcap(page));
  if (ipip !== null) {
    expect(ipip).toMatch(/ Out [0-9a-f:]{17} ethertype IPv4 \(0x0800\), length \d+: 192\.168\.1\.11 > 192\.168\.1\.12: 10\.244\.\d+\.\d+ > 10\.244\.\d+\.\d+: ICMP echo request/);
    expect(ipip).toMatch(/ICMP echo reply/);
  }
  // Cilium: its VXLAN (port 8472, the VNI is the source identity) on the underlay.
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('cni-mode').selectOption('cilium');
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI cilium');
  await toWorker2();
  const cilium = tcpdumpRead(await downloadPcap(page), '-T', 'vxlan');
  if (cilium !== null) expect(cilium).toMatch(/192\.168\.1\.11\.\d+ > 192\.168\.1\.12\.8472: VXLAN, flags \[I\] \(0x08\), vni \d+\n[0-9a-f:]{17} > [0-9a-f:]{17}, ethertype IPv4 \(0x0800\), length 98: 10\.244\.1\.\d+ > 10\.244\.2\.\d+: ICMP echo request/);
  await shot(page, `pcapng-${page.viewportSize()!.width}`);
});

test('a trace animates on the canvas; a reduced-motion user gets steps', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openDemo(page);
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('hop').first()).toBeVisible();
  await page.getByTestId('hop').nth(5).click();
  await page.waitForTimeout(100);
  await shot(page, 'trace-reduced-motion');
});
