/**
 * What a student does with the app, end to end on the built site: ping across nodes from the
 * terminal and step through the hops reading the VXLAN header; switch the CNI to Calico and see
 * the path change; reload and find everything still there; open a share link in a fresh browser;
 * load the site from a sub-path. Screenshots go to test-results/screenshots/app-*.png.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/app-${name}.png` });

async function open(page: Page, url = './') {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await expect(page.getByTestId('cluster-facts')).toBeVisible();
  return errors;
}

/** Type a line in the terminal and press Enter. */
async function shell(page: Page, line: string) {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

const terminalText = (page: Page) => page.locator('.xterm-rows').innerText();
/** The rows joined: a line the terminal wrapped (it is narrower beside the inspector) reads whole. */
const terminalJoined = async (page: Page) => (await terminalText(page)).replace(/\n/g, '');

/** The pod IP of the first web pod on worker-2, from the trace form's labels. */
async function remoteWebIp(page: Page): Promise<string> {
  const label = await page.getByTestId('trace-to').locator('option', { hasText: /^default\/web-.*worker-2\)$/ }).first().innerText();
  return /\((10\.[\d.]+),/.exec(label)![1];
}

test('a cross-node ping from the terminal, stepped hop by hop through VXLAN', async ({ page }) => {
  const errors = await open(page);
  const ip = await remoteWebIp(page);
  await shell(page, `kubectl exec client -- ping -c 1 ${ip}`);
  await expect.poll(() => terminalJoined(page)).toContain('1 packets transmitted, 1 packets received');
  // The ping's trace is now the current one: the inspector shows its first hop.
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('Request · hop 1');
  await shot(page, 'ping-terminal');

  // Step with the keyboard (→) until the packet is encapsulated.
  await page.locator('.topbar__brand').click();
  for (let i = 0; i < 30 && !(await page.getByTestId('layer-VXLAN').isVisible()); i++) await page.keyboard.press('ArrowRight');
  const vxlan = page.getByTestId('layer-VXLAN');
  await expect(vxlan).toContainText('VNI');
  await expect(vxlan).toContainText('1');
  await expect(vxlan).toContainText('added here');
  await expect(page.getByTestId('layer-Outer UDP')).toContainText('8472');
  await expect(page.getByTestId('layer-Outer IPv4 (VXLAN)')).toContainText('192.168.1.11');
  await expect(page.getByTestId('layer-Outer IPv4 (VXLAN)')).toContainText('192.168.1.12');
  await shot(page, 'inspector-vxlan');
  // One more step back and the tunnel header is gone again.
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('layer-VXLAN')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('nslookup from the terminal: the DNS question and answer in the inspector, through kube-proxy to CoreDNS', async ({ page }) => {
  const errors = await open(page);
  await shell(page, 'kubectl exec client -- nslookup web.default.svc.cluster.local');
  await expect.poll(() => terminalText(page)).toMatch(/Name:\s+web\.default\.svc\.cluster\.local\s+Address:\s+10\.96\./);
  const query = page.getByTestId('layer-DNS query');
  await expect(query).toContainText('web.default.svc.cluster.local. IN');
  await expect(page.getByTestId('inspector')).toContainText('10.96.0.10');
  // The answer rides on the reply: jump to the reply's last hop.
  await page.getByTestId('hop').last().click();
  const answer = page.getByTestId('layer-DNS response');
  await expect(answer).toContainText('qr aa rd');
  await expect(answer).toContainText('NOERROR');
  await shot(page, 'inspector-dns');
  expect(errors).toEqual([]);
});

test('the trace form: a Service by DNS name from a pod, and the outside client', async ({ page }) => {
  await open(page);
  await page.getByTestId('trace-to').selectOption({ label: 'web.default.svc.cluster.local (:80/TCP)' });
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('lookup')).toContainText('$ kubectl exec -n default client -- nc -zv -w 2 web.default.svc.cluster.local 80');
  await expect(page.getByTestId('lookup')).toContainText('open');
  await expect(page.getByTestId('verdict-request')).toHaveText('delivered');
  // The DNS query that found the Service can be followed too: to CoreDNS through kube-proxy and back.
  await page.getByTestId('lookup-packet-6').click();
  await expect(page.getByTestId('lookup-packet-6')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('hop').first()).toContainText('10.96.0.10');
  await page.keyboard.press('Escape');
  await page.getByTestId('hop').last().click();
  await expect(page.getByTestId('inspector')).toContainText('NOERROR');
  await shot(page, 'trace-by-name');
  // Reloading comes back to the same packet and hop.
  await page.waitForTimeout(800);
  await page.reload();
  await expect(page.getByTestId('lookup-packet-6')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('inspector')).toContainText('NOERROR');
  await page.getByTestId('trace-from').selectOption('external');
  await page.getByTestId('trace-to').selectOption({ label: 'node/worker-1 (192.168.1.11)' });
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('hop').first()).toContainText('198.51.100.10');
});

test('switching to Calico re-plumbs the same cluster and changes the path', async ({ page }) => {
  await open(page);
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('hop-list')).toContainText('flannel.1');
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('cni-mode').selectOption('calico');
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI calico');
  await page.getByTestId('tab-trace').click();
  await page.getByTestId('trace-run').click();
  const hops = page.getByTestId('hop-list');
  await expect(hops).toContainText('cali');
  await expect(hops).not.toContainText('flannel.1');
  await expect(hops).not.toContainText('VXLAN');
  await shot(page, 'calico-path');
  // Undo brings Flannel back.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI flannel');
});

const viewportTransform = (page: Page) => page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform);

test('reloading keeps the cluster, the YAML, the camera and the trace', async ({ page }) => {
  await open(page);
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('scale-replicas').fill('5');
  await page.getByRole('button', { name: 'Scale' }).click();
  await expect(page.locator('[data-testid^="pod-default-web-"]')).toHaveCount(5);
  await page.getByTestId('tab-trace').click();
  await page.getByTestId('trace-run').click();
  await page.getByTestId('hop').nth(4).click();
  // Zoom the canvas in on one spot: the camera comes back after the reload.
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6);
  await page.mouse.wheel(0, -300);
  await page.waitForTimeout(400);
  const camera = await viewportTransform(page);
  const facts = await page.getByTestId('cluster-facts').textContent();
  await page.waitForTimeout(800); // the autosave is debounced
  // The saved text comes with its parsed documents, so the next visit draws before the YAML parser loads.
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('podpath:autosave') ?? '{}') as { yaml?: string; docs?: unknown[] });
  expect(saved.yaml).toContain('replicas: 5');
  expect(saved.docs?.length).toBeGreaterThan(0);
  await page.reload();
  await expect(page.getByTestId('cluster-facts')).toHaveText(facts!);
  await expect.poll(() => viewportTransform(page)).toBe(camera);
  await expect(page.locator('[data-testid^="pod-default-web-"]')).toHaveCount(5);
  await expect(page.getByTestId('inspector')).toContainText('Request · hop 5');
  await page.getByTestId('tab-scenario').click();
  await expect(page.locator('.cm-content')).toContainText('replicas: 5');
  await shot(page, 'after-reload');
});

test('work saved without parsed documents (an older autosave) opens after the YAML parser loads', async ({ page }) => {
  await open(page);
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('scale-replicas').fill('4');
  await page.getByRole('button', { name: 'Scale' }).click();
  await expect(page.locator('[data-testid^="pod-default-web-"]')).toHaveCount(4);
  await page.waitForTimeout(800);
  await page.evaluate(() => {
    const saved = JSON.parse(localStorage.getItem('podpath:autosave')!) as Record<string, unknown>;
    delete saved.docs;
    localStorage.setItem('podpath:autosave', JSON.stringify(saved));
  });
  await page.reload();
  await expect(page.locator('[data-testid^="pod-default-web-"]')).toHaveCount(4);
  await expect(page.getByTestId('cluster-facts')).toContainText('demo');
});

test('a share link opens the same cluster in a fresh browser', async ({ page, browser }) => {
  await open(page);
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('cni-mode').selectOption('calico');
  await page.getByTestId('tab-trace').click();
  await page.getByTestId('trace-run').click();
  await page.getByTestId('share-menu').click();
  await page.getByTestId('share-make').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#share=1\./);
  const pods = await page.locator('[data-testid^="pod-default-"]').evaluateAll((els) => els.map((e) => e.textContent).sort());

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('cluster-facts')).toContainText('demo');
  await expect(other.getByTestId('fact-cni')).toHaveText('CNI calico');
  await expect.poll(() => other.locator('[data-testid^="pod-default-"]').evaluateAll((els) => els.map((e) => e.textContent).sort())).toEqual(pods);
  await expect(other.getByTestId('inspector')).toBeVisible();
  await shot(other, 'shared');

  // A damaged link and a link from the future: a clear message, the work is kept.
  await other.goto(`${link.split('#')[0]}#share=1.bm90LWRlZmxhdGU`);
  await expect(other.getByTestId('notice')).toContainText('damaged');
  await expect(other.getByTestId('fact-cni')).toHaveText('CNI calico');
  await other.goto(`${link.split('#')[0]}#share=9.AAAA`);
  await expect(other.getByTestId('notice')).toContainText('newer podpath');
  await shot(other, 'future-link');
  await fresh.close();
});

test('a hostile file is refused with a message and the page stays usable', async ({ page }) => {
  await open(page);
  const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'data:', '  a: &a ["<b>x</b>","x","x","x","x","x","x","x","x"]'];
  for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) bomb.push(`  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  await page.getByTestId('import-input').setInputFiles({ name: 'lol.yaml', mimeType: 'application/yaml', buffer: Buffer.from(bomb.join('\n')) });
  await expect(page.getByTestId('notice')).toContainText('lol.yaml:1:1: refused');
  await expect(page.getByTestId('notice').locator('b')).toHaveCount(0);
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI flannel');
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('verdict-request')).toHaveText('delivered');
});

test('every built-in example loads from the menu', async ({ page }) => {
  await open(page);
  for (const file of ['flannel-two-nodes.yaml', 'calico-bgp.yaml', 'three-tier.yaml', 'ingress.yaml', 'policy-lab.yaml']) {
    await page.getByTestId('examples-menu').click();
    await page.getByTestId(`example-${file}`).click();
    await expect(page.getByTestId('cluster-facts')).toContainText(file.replace('.yaml', ''));
    await expect(page.getByTestId('notice')).toHaveCount(0);
  }
  await shot(page, 'example-policy-lab');
});

// ---------------------------------------------------------------------------------------------
// The built site from a sub-path, as GitHub Pages serves a project site.

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.yaml': 'text/yaml', '.webmanifest': 'application/manifest+json' };
let server: Server;
let subPathUrl = '';

test.describe('served under /podpath/', () => {
  test.beforeAll(async () => {
    const root = join(process.cwd(), 'dist');
    server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (!path.startsWith('/podpath/')) {
        res.writeHead(404).end('not here');
        return;
      }
      let file = normalize(join(root, path.slice('/podpath/'.length)));
      if (!file.startsWith(root)) return void res.writeHead(403).end();
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    subPathUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/podpath/`;
  });
  test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('loads, traces, opens an example and registers the offline cache', async ({ page }) => {
    const errors = await open(page, subPathUrl);
    await expect(page.getByTestId('cluster-facts')).toContainText('demo');
    await page.getByTestId('trace-run').click();
    await expect(page.getByTestId('verdict-request')).toHaveText('delivered');
    await page.getByTestId('examples-menu').click();
    await page.getByTestId('example-calico-bgp.yaml').click();
    await expect(page.getByTestId('fact-cni')).toHaveText('CNI calico');
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(subPathUrl);
    await shot(page, 'subpath');
    expect(errors).toEqual([]);
  });
});
