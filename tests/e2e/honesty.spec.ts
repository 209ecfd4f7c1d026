/**
 * Issue 13 points 1, 5, 6, 7, 8 and 9, as a student meets them on a laptop (@laptop: the
 * laptop-1366 and laptop-1280 projects run these at 1366×768 and 1280×720): a NetworkPolicy
 * Flannel does not enforce looks like one (Edit tab, YAML lint, a mark on the pods, the trace
 * summary, the terminal), also from a share link and under the VPC CNI; on Calico and Cilium the
 * drop is a ✕ at the hook with the policy's name, drawn where the kernel has the packet; the
 * terminal can be left with Escape then Tab; the first prompt and the hints agree; an edit and a
 * reload rename nothing, and the app's names are `podpath sh`'s; FROM/TO survive a reload, an
 * edit re-traces and says so, exported YAML carries RFC 3339 timestamps, grep -A/-B/-C work.
 * Screenshots: test-results/screenshots/honesty-*.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { shareHash } from './laptop';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/honesty-${name}-${page.viewportSize()!.width}x${page.viewportSize()!.height}.png` });

async function openDemo(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
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

/** The terminal's rows (xterm draws runs of spaces as no-break spaces). */
const terminalText = async (page: Page) => (await page.locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' ');

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

{
  test('@laptop a policy flannel does not enforce says so in the Edit tab, the YAML, on the pod and in the trace', async ({ page }) => {
    const errors = await openDemo(page);
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
    // Point 5 on the same cross-node trace: the TTL is decremented on the route hop, flannel's
    // PERMANENT VTEP entry is a neighbour lookup (no ARP), the encap hop has the underlay MACs.
    await expect(page.getByTestId('pod-default-busybox-2')).toHaveAttribute('aria-label', /on worker-2/);
    const hops = page.getByTestId('hop');
    const forwarded = hops.filter({ hasText: 'forwarded: TTL 64 → 63' }).first();
    await expect(forwarded).toContainText('route');
    await forwarded.click();
    await expect(page.getByTestId('inspector')).toContainText(/TTL\s*63\s*▲ changed/);
    const vtep = hops.filter({ hasText: 'PERMANENT' }).first();
    await expect(vtep).toContainText('neigh');
    await expect(vtep).not.toContainText('ARP who-has');
    await hops.filter({ hasText: 'encap' }).first().click();
    await expect(page.getByTestId('inspector')).toContainText(/Outer Ethernet[\s\S]*src MAC\s*[0-9a-f]{2}(:[0-9a-f]{2}){5}\s*dst MAC\s*[0-9a-f]{2}(:[0-9a-f]{2}){5}/);
    expect(errors).toEqual([]);
  });

  test('@laptop on Calico the policy drop is a ✕ at the FORWARD hook naming the policy, where the kernel has the packet', async ({ page }) => {
    const errors = await openDemo(page);
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

test('@laptop the terminal: Tab completes, Escape then Tab or Shift+Tab leaves it, announced to screen readers', async ({ page }) => {
  await openDemo(page);
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
  // Forward, the Tab lands on the side panel's first control (the Trace tab).
  await expect(page.getByTestId('tab-trace')).toBeFocused();
  await shot(page, 'terminal-keyboard-exit');
  await input.focus();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+Tab');
  await expect(input).not.toBeFocused();
  const after = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? '');
  expect(after).not.toContain('xterm');
});

/** Press `key` until the element with `testId` (or matching `selector`) has the focus; fails after `max` presses. */
async function keyTo(page: Page, target: { testId?: string; selector?: string }, key = 'Tab', max = 40) {
  for (let i = 0; i < max; i++) {
    const there = await page.evaluate(({ testId, selector }) => {
      const a = document.activeElement;
      return !!a && (testId ? a.getAttribute('data-testid') === testId : a.matches(selector!));
    }, target);
    if (there) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} ×${max} never reached ${target.testId ?? target.selector}`);
}

test('@laptop the whole journey by keyboard: pick endpoints, trace, step the hops, apply a policy, into the terminal and out again', async ({ page }) => {
  const errors = await openDemo(page);
  // From the top of the page, with Tab only: the skip link, then the side panel.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the panels' })).toBeFocused();
  await page.keyboard.press('Enter');
  await keyTo(page, { testId: 'tab-trace' }, 'Tab', 5);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('trace-from')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('trace-to')).toBeFocused();
  await keyTo(page, { testId: 'trace-run' });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector')).toContainText('Request · hop 1');
  await keyTo(page, { testId: 'step' });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('inspector')).toContainText('Request · hop 3');
  // The Edit tab (arrow keys in the tab list) and a policy from its form.
  await keyTo(page, { selector: '[role="tab"]' }, 'Shift+Tab');
  await keyTo(page, { testId: 'tab-edit' }, 'ArrowRight', 6);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('np-name')).toBeAttached(); // the Edit panel's code loads on first use
  await keyTo(page, { testId: 'np-name' }, 'Tab', 80);
  await page.keyboard.type('deny-web');
  await keyTo(page, { testId: 'np-target' });
  await page.keyboard.type('app=web');
  await keyTo(page, { testId: 'np-deny' });
  await page.keyboard.press('Space');
  await keyTo(page, { testId: 'np-apply' }, 'Tab', 20);
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid^="pod-default-web-"]').first().getByTestId('policy-mark')).toHaveText('⚠ not enforced by flannel');
  // Back to the tab list and into the terminal (just before the side panel), then out again.
  await keyTo(page, { selector: '[role="tab"]' }, 'Shift+Tab', 80);
  await keyTo(page, { selector: '.xterm-helper-textarea' }, 'Shift+Tab', 5);
  await page.keyboard.type('help');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await terminalText(page)).replace(/\n/g, '')).toContain('pipes |, ; and &&'); // help's last line
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(page.locator('.xterm-helper-textarea')).not.toBeFocused();
  await expect(page.locator('[role="tab"][aria-selected="true"]')).toBeFocused();
  await shot(page, 'keyboard-journey');
  expect(errors).toEqual([]);
});

test('@laptop the first prompt and the hints agree: help and the Trace panel lead into a pod, where ping works', async ({ page }) => {
  const errors = await openDemo(page);
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

test('@laptop FROM/TO survive a reload, an edit traces again and says so, exported YAML has RFC 3339 timestamps, a loading indicator comes first', async ({ page, request }) => {
  const html = await (await request.get('./')).text();
  expect(html).toContain('data-testid="boot-loading"');
  const errors = await openDemo(page);
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

test('@laptop pods added at the bottom of the canvas do not push their node box out of view', async ({ page }) => {
  const errors = await openDemo(page);
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
      await expect(page.getByTestId('partial-chip')).toBeVisible(); // its words shorten on a narrow canvas
      continue;
    }
    expect(box.y + box.height, node).toBeLessThanOrEqual(canvas.y + canvas.height);
    expect(box.y, node).toBeGreaterThanOrEqual(canvas.y);
  }
  expect(errors).toEqual([]);
});

const DEMO = readFileSync('src/scenarios/demo.yaml', 'utf8');
const BUSYBOX_2 = `---
apiVersion: v1
kind: Pod
metadata:
  name: busybox-2
  namespace: default
  labels: {run: busybox-2}
spec:
  nodeName: worker-2
  containers:
  - name: main
    image: busybox:1.36
`;
const DENY_BUSYBOX_2 = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-busybox-2
  namespace: default
spec:
  podSelector:
    matchLabels: {run: busybox-2}
  policyTypes: [Ingress]
`;

test('@laptop a policy loaded from a share link, and one applied in the terminal: flannel and the VPC CNI say they do not enforce it, everywhere', async ({ page }) => {
  const errors = await openDemo(page);
  const hash = await shareHash(page, `${DEMO.trimEnd()}\n${BUSYBOX_2}${DENY_BUSYBOX_2}`, { from: 'default/client', to: 'default/busybox-2', proto: 'icmp' });
  await page.evaluate((h) => (window.location.hash = h), hash);
  await expect(page.getByText('Opened the shared scenario')).toBeVisible();
  await expect(page.getByTestId('pod-default-busybox-2').getByTestId('policy-mark')).toHaveText('⚠ not enforced by flannel');
  await page.getByTestId('tab-scenario').click();
  await expect(page.getByTestId('policy-lint')).toContainText('accepted but not enforced: flannel does not enforce NetworkPolicy');
  await page.getByTestId('tab-trace').click();
  if (!(await page.getByTestId('verdict-request').isVisible())) await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('trace-summary')).toHaveText('⚠ delivered — NetworkPolicy deny-busybox-2 selects busybox-2 but flannel does not enforce NetworkPolicy');
  await shot(page, 'shared-policy-flannel');

  // The VPC CNI without its network policy controller: its own reason, on the mark and in the summary.
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('cni-mode').selectOption('aws-vpc');
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI aws-vpc');
  await expect(page.getByTestId('np-enforcement')).toContainText('the VPC CNI does not enforce NetworkPolicy');
  const mark = page.getByTestId('pod-default-busybox-2').getByTestId('policy-mark');
  await expect(mark).toHaveText('⚠ not enforced by aws-vpc');
  await expect(mark).toHaveAttribute('title', /but the VPC CNI does not enforce NetworkPolicy \(its network policy controller is off/);
  await page.getByTestId('tab-trace').click();
  await expect(page.getByTestId('trace-summary')).toContainText('delivered — NetworkPolicy deny-busybox-2 selects busybox-2 but the VPC CNI does not enforce NetworkPolicy');

  // A policy applied from the terminal: kubectl's own line, then podpath's.
  await shell(page, 'kubectl create -f - <<EOF');
  for (const line of ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: deny-client}', 'spec:', '  podSelector: {matchLabels: {app: client}}', '  policyTypes: [Egress]', 'EOF']) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
  await expect.poll(async () => (await terminalText(page)).replace(/\n/g, '')).toContain('networkpolicy.networking.k8s.io/deny-client created');
  // The rows joined: the terminal wraps long lines.
  await expect.poll(async () => (await terminalText(page)).replace(/\n/g, '')).toContain('podpath: NetworkPolicy deny-client is stored, but the VPC CNI does not enforce NetworkPolicy');
  await expect(page.getByTestId('pod-default-client').getByTestId('policy-mark')).toHaveText('⚠ not enforced by aws-vpc');
  await shot(page, 'terminal-policy-vpc');
  expect(errors).toEqual([]);
});

test('@laptop on Cilium the policy drop is a ✕ at the eBPF hook on the destination node, naming the policy', async ({ page }) => {
  const errors = await openDemo(page);
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('cni-mode').selectOption('cilium');
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI cilium');
  await denyIngress(page, 'deny-web', 'app=web');
  await expect(page.locator('[data-testid^="pod-default-web-"]').first().getByTestId('policy-mark')).toHaveText('policy: deny-web');
  await traceTo(page, 'default/client', /^default\/web-.*worker-2\)$/);
  await expect(page.getByTestId('verdict-request')).toHaveText('dropped');
  await expect(page.getByTestId('trace-summary')).toContainText('✕ dropped by NetworkPolicy deny-web (eBPF cil_from_overlay, ingress)');
  const hops = page.getByTestId('hop');
  await hops.nth((await hops.count()) - 1).click();
  const layer = page.getByTestId('packet-layer');
  // cilium_vxlan on worker-2: where cil_from_overlay runs on the decapsulated packet.
  await expect(layer).toHaveAttribute('data-anchor', 'dev:worker-2:cilium_vxlan');
  await expect(layer).toHaveAttribute('data-drop', '✕ dropped by NetworkPolicy deny-web (eBPF cil_from_overlay, ingress)');
  await expect(page.getByTestId('packet-drop')).toBeVisible();
  await page.waitForTimeout(600);
  await shot(page, 'cilium-policy-drop');
  expect(errors).toEqual([]);
});

test('@laptop GNU grep context in the terminal: -A, -B, -C, -NUM and the -- between groups', async ({ page }) => {
  const errors = await openDemo(page);
  await shell(page, 'clear');
  await shell(page, 'kubectl get pods -A | grep -A1 -e client -e etcd | cut -c1-40');
  await expect.poll(() => terminalText(page)).toMatch(/default +client[^\n]*\n[^\n]*default +web-[^\n]*\n--\n[^\n]*kube-system +etcd-control-plane[^\n]*\n[^\n]*kube-system +kube-apiserver-control/);
  await shell(page, 'clear');
  await shell(page, 'kubectl get pods -n kube-system | grep -B1 -n etcd | cut -c1-40');
  await expect.poll(() => terminalText(page)).toMatch(/\d+-coredns-[^\n]*\n\d+:etcd-control-plane/);
  await shell(page, 'clear');
  await shell(page, 'kubectl get pods -n kube-system | grep -C1 etcd | wc -l');
  await expect.poll(() => terminalText(page)).toMatch(/\n3\s*\n/);
  expect(errors).toEqual([]);
});

/** Every pod as `namespace/name@node`, from `podpath sh` on `yaml`. */
function cliPods(yaml: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'podpath-e2e-'));
  writeFileSync(join(dir, 's.yaml'), yaml);
  const r = spawnSync('node', ['--import', 'tsx', 'src/cli/main.ts', 'sh', '-f', join(dir, 's.yaml'), '-c', 'kubectl get pods -A -o wide --no-headers'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').map((l) => l.split(/\s+/)).map((c) => `${c[0]}/${c[1]}@${c[7]}`).sort();
}

/** Every pod the app draws, as `namespace/name@node` (from each pod's accessible name: "Pod NS/NAME, IP …, on NODE"), system pods unfolded. */
async function appPods(page: Page): Promise<string[]> {
  if ((await page.getByTestId('system-pods').getAttribute('aria-pressed')) !== 'true') await page.getByTestId('system-pods').click();
  await expect(page.locator('[data-testid^="pod-kube-system-kube-proxy-"]').first()).toBeAttached();
  const labels = await page.locator('[data-testid^="pod-"][aria-label^="Pod "]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return labels.map((l) => /^Pod ([^,]+),.*?, on ([a-z0-9.-]+)/.exec(l)).filter((m) => m).map((m) => `${m![1]}@${m![2]}`).sort();
}

test('@laptop an edit and a reload rename and move nothing they did not touch, and the app names pods as podpath sh does', async ({ page }) => {
  const errors = await openDemo(page);
  const fresh = await appPods(page);
  expect(fresh.length).toBeGreaterThan(10);
  expect(fresh).toEqual(cliPods(DEMO));
  await shell(page, 'kubectl run extra --image=busybox:1.36');
  await expect(page.getByTestId('pod-default-extra')).toBeVisible();
  const added = await appPods(page);
  expect(added.filter((p) => !p.startsWith('default/extra@'))).toEqual(fresh);
  await page.getByTestId('tab-edit').click();
  await page.getByTestId('cni-mode').selectOption('calico');
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI calico');
  const switched = await appPods(page);
  await page.waitForTimeout(800); // autosave is debounced
  await page.reload();
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI calico');
  expect(await appPods(page)).toEqual(switched);
  // The exported YAML in podpath sh: the same pods on the same nodes.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
  expect(cliPods(readFileSync((await download.path())!, 'utf8'))).toEqual(switched);
  expect(errors).toEqual([]);
});

test('@projector at 1920×1080 the minimap is drawn beside the node boxes, not over worker-2', async ({ page }) => {
  const errors = await openDemo(page);
  const minimap = (await page.locator('.react-flow__minimap').boundingBox())!;
  expect(minimap).not.toBeNull();
  for (const node of ['control-plane', 'worker-1', 'worker-2']) {
    const b = (await page.getByTestId(`k8snode-${node}`).boundingBox())!;
    const overlaps = b.x < minimap.x + minimap.width && minimap.x < b.x + b.width && b.y < minimap.y + minimap.height && minimap.y < b.y + b.height;
    expect(overlaps, node).toBe(false);
  }
  await shot(page, 'minimap');
  expect(errors).toEqual([]);
});
