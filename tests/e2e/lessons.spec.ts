/**
 * Lessons in the built app (issue 14): a learner completes lesson 4 (cross-node VXLAN) with its
 * two predictions and its questions and finds the progress after a reload; a troubleshooting lab
 * is solved from the terminal; an instructor opens a lesson link at step 3 on a projector.
 * Screenshots: test-results/screenshots/lessons-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { shareHash } from './laptop';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/lessons-${name}-${page.viewportSize()?.width}.png` });

async function shell(page: Page, line: string) {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

async function freshPage(page: Page, errors: string[]) {
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('lessons-e2e')) {
      localStorage.clear();
      sessionStorage.setItem('lessons-e2e', '1');
    }
  });
}

/** Answer the pending prediction by keyboard: the choice whose text matches, its number key, Enter. */
async function predict(page: Page, answer: RegExp) {
  const card = page.getByTestId('lesson-predict');
  await expect(card).toHaveAttribute('data-phase', 'asking', { timeout: 30_000 });
  const choices = await page.getByTestId('lesson-choice').allInnerTexts();
  const i = choices.findIndex((c) => answer.test(c.replace(/^\d+\s*/, '')));
  expect(i, `a choice matching ${answer} among ${JSON.stringify(choices)}`).toBeGreaterThanOrEqual(0);
  await expect(page.getByTestId('lesson-choices')).toBeFocused();
  await page.keyboard.press(String(i + 1));
  await page.keyboard.press('Enter');
  await expect(card).toHaveAttribute('data-phase', 'revealed');
  await expect(page.getByTestId('lesson-predict-verdict')).toContainText('Right');
}

async function traceForm(page: Page, from: string, to: string, proto: 'icmp' | 'tcp', port?: number) {
  await page.getByTestId('tab-trace').click();
  await page.getByTestId('trace-from').selectOption({ label: from });
  await page.getByTestId('trace-to').selectOption({ label: to });
  await page.locator(`input[name="proto"][value="${proto}"]`).check({ force: true });
  if (port !== undefined) await page.getByTestId('trace-port').fill(String(port));
  await page.getByTestId('trace-run').click();
  await page.getByTestId('tab-lesson').click();
}

/** The packet glyph and the lesson panel are both on screen. */
async function packetAndPanelInView(page: Page) {
  const vw = page.viewportSize()!;
  const panel = (await page.getByTestId('lesson-panel').boundingBox())!;
  expect(panel.x + panel.width).toBeLessThanOrEqual(vw.width + 1);
  const canvas = (await page.locator('.react-flow').first().boundingBox())!;
  expect(canvas.width).toBeGreaterThan(400);
  expect(canvas.x + canvas.width).toBeLessThanOrEqual(panel.x + 1);
}

test('a learner completes lesson 4 with two predictions and its questions; a reload keeps the progress @laptop', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  await freshPage(page, errors);
  await page.goto('./');
  await expect(page.getByTestId('cluster-facts')).toContainText('demo');

  await page.getByTestId('lessons-button').click();
  await expect(page.getByTestId('lesson-list')).toBeVisible();
  await shot(page, 'list');
  await page.getByTestId('lesson-item-04-cross-node-vxlan').click();
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await expect(page.getByTestId('cluster-facts')).toContainText('lesson-04');
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-step', '0');
  // The work the lesson replaced is kept (Undo does not survive closing the tab).
  await expect(page.getByText('Undo (Ctrl+Z) brings back your work; it is also kept in this browser')).toBeVisible();

  // Step 1: the packet stops before the hop that wraps it; the learner predicts the device.
  await expect(page.getByTestId('lesson-predict')).toHaveAttribute('data-phase', 'asking', { timeout: 30_000 });
  await packetAndPanelInView(page);
  await shot(page, 'predict-asking');
  await predict(page, /^flannel\.1\b/);
  await shot(page, 'predict-revealed');
  await expect(page.getByTestId('lesson-check')).toHaveAttribute('data-pass', 'false');
  await traceForm(page, 'client', 'web-2', 'tcp', 80);
  await expect(page.getByTestId('lesson-check')).toHaveAttribute('data-pass', 'true');
  await expect(page.getByTestId('lesson-notice')).toBeVisible();
  await page.getByTestId('lesson-next').click();

  // Step 2: from the terminal, on worker-1.
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-step', '1');
  await page.getByTestId('lesson-show-hint').click();
  await expect(page.getByTestId('lesson-hint')).toHaveCount(1);
  await shell(page, 'ssh worker-1');
  await shell(page, 'ip -d link show flannel.1');
  await expect(page.getByTestId('lesson-check')).toHaveAttribute('data-pass', 'false');
  await shell(page, 'bridge fdb show dev flannel.1');
  await expect(page.getByTestId('lesson-check')).toHaveAttribute('data-pass', 'true');
  await shell(page, 'exit');
  await page.getByTestId('lesson-next').click();

  // Step 3: how many bytes on the wire.
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-step', '2');
  await predict(page, /^148\b/);
  await traceForm(page, 'client', 'web-2', 'icmp');
  await expect(page.getByTestId('lesson-check')).toHaveAttribute('data-pass', 'true');
  await page.getByTestId('lesson-next').click();

  // Step 4: the largest ping that fits, from client's shell.
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-step', '3');
  const web2 = await page.getByTestId('pod-default-web-2').getAttribute('data-pod-ip');
  await shell(page, 'kubectl exec -it client -- sh');
  await shell(page, `ping -c 1 -s 1423 -M do ${web2}`);
  await shell(page, `ping -c 1 -s 1422 -M do ${web2}`);
  await expect(page.getByTestId('lesson-check')).toHaveAttribute('data-pass', 'true');
  await shell(page, 'exit');
  await page.getByTestId('lesson-next').click();

  // The practice questions.
  await expect(page.getByTestId('lesson-questions')).toBeVisible();
  const q = (id: string) => page.locator(`[data-question="${id}"]`);
  await q('overhead').getByTestId('lesson-answer').fill('50 bytes');
  await q('overhead').getByTestId('lesson-answer').press('Enter');
  await q('pod-mtu').getByLabel('1450').check();
  await q('pod-mtu').getByTestId('lesson-check-answer').click();
  await q('flannel-port').getByTestId('lesson-answer').fill('UDP/8472');
  await q('flannel-port').getByTestId('lesson-check-answer').click();
  await q('outer-src').getByLabel('the two pod IPs').check();
  await q('outer-src').getByTestId('lesson-check-answer').click();
  await expect(q('outer-src').getByTestId('lesson-answer-result')).toContainText('Not quite');
  await expect(page.getByTestId('lesson-score')).toContainText('Questions: 3 of 4 right · predictions: 2 of 2 right · steps done: 4 of 4');
  await shot(page, 'questions');

  // A reload: the lesson, its questions, answers and score are all there.
  await page.reload();
  await expect(page.getByTestId('lesson-questions')).toBeVisible();
  await expect(page.getByTestId('lesson-score')).toContainText('Questions: 3 of 4 right · predictions: 2 of 2 right · steps done: 4 of 4');
  await expect(page.getByTestId('cluster-facts')).toContainText('lesson-04');
  await expect(q('flannel-port').getByTestId('lesson-answer')).toHaveValue('UDP/8472');
  expect(errors).toEqual([]);
});

test('a troubleshooting lab opened from a link is solved from the terminal @laptop', async ({ page }) => {
  test.setTimeout(150_000);
  const errors: string[] = [];
  await freshPage(page, errors);
  // Lab 15: br_netfilter off on one node, found and fixed from the shell.
  await page.goto('./#lesson=15-lab-br-netfilter');
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-step', '0');
  const steps: string[][] = [
    ['kubectl exec client -- nc -zv -w 3 cache 6379'],
    ['kubectl exec client -- nc -zv -w 3 10.244.1.4 6379'],
    ['kubectl exec client -- nc -zv -w 3 10.96.50.50 6379'],
    ['ssh worker-1', 'sysctl net.bridge.bridge-nf-call-iptables', 'exit'],
    ['ssh worker-1', 'sysctl -w net.bridge.bridge-nf-call-iptables=1', 'exit', 'kubectl exec client -- nc -zv -w 3 cache 6379'],
  ];
  for (const [i, lines] of steps.entries()) {
    await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-step', String(i));
    await expect(page.getByTestId('lesson-check')).toHaveAttribute('data-pass', 'false');
    for (const line of lines) await shell(page, line);
    await expect(page.getByTestId('lesson-check')).toHaveAttribute('data-pass', 'true');
    await expect(page.getByTestId('lesson-notice')).toBeVisible();
    if (i === 2) await shot(page, 'lab-step3');
    await page.getByTestId('lesson-next').click();
  }
  await expect(page.getByTestId('lesson-questions')).toBeVisible();
  await expect(page.getByTestId('lesson-score')).toContainText('steps done: 5 of 5');
  await shot(page, 'lab-solved');
  expect(errors).toEqual([]);
});

test('a lesson with per-learner variants asks the name once, by keyboard; an activity exports a submission', async ({ page }) => {
  const errors: string[] = [];
  await freshPage(page, errors);
  await page.goto('./');
  await expect(page.getByTestId('cluster-facts')).toContainText('demo');
  await page.getByTestId('lessons-button').focus();
  await page.keyboard.press('Enter');
  // The list opens on its first lesson; arrows are Tab here.
  await expect(page.getByTestId('lesson-item-01-one-ip-per-pod')).toBeFocused();
  await page.getByTestId('lesson-item-10-network-policy').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lesson-learner-name')).toBeFocused();
  await shot(page, 'learner');
  await page.keyboard.type('Ada Lovelace');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  // The next lesson with variants does not ask again.
  await page.getByTestId('lessons-button').click();
  await page.getByTestId('lesson-item-08-dns').click();
  await expect(page.getByTestId('lesson-panel')).toContainText('DNS');
  await expect(page.getByTestId('lesson-learner')).toHaveCount(0);
  // Back to the activity: skip to its questions and export the submission.
  await page.getByTestId('lessons-button').click();
  await page.getByTestId('lesson-item-10-network-policy').click();
  for (let i = 0; i < 12 && (await page.getByTestId('lesson-questions').count()) === 0; i++) {
    const next = page.getByTestId('lesson-next');
    if (await next.isDisabled()) {
      // A prediction waits: answer it with Enter on the first choice.
      await expect(page.getByTestId('lesson-predict')).toHaveAttribute('data-phase', 'asking', { timeout: 30_000 });
      await page.getByTestId('lesson-choices').press('Enter');
    }
    await next.click();
  }
  await expect(page.getByTestId('lesson-questions')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('lesson-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('10-network-policy-Ada-Lovelace.submission.yaml');
  const text = readFileSync(await file.path(), 'utf8');
  const sub = jsyaml.load(text) as Record<string, unknown>;
  expect(sub).toMatchObject({ kind: 'Submission', lesson: '10-network-policy', seed: 'ada-lovelace', learner: 'Ada Lovelace' });
  expect(String(sub.scenario)).toContain('kind: Cluster');
  expect(errors).toEqual([]);
});

test('an instructor opens a lesson link at step 3 in presentation mode and steps with PageDown @projector', async ({ page }) => {
  const errors: string[] = [];
  await freshPage(page, errors);
  await page.addInitScript(() => localStorage.setItem('podpath.view.v1', JSON.stringify({ presentation: true })));
  await page.goto('./');
  // The instructor's cluster, as the link carries it: the lesson's own start.
  const lesson = jsyaml.load(readFileSync('src/lessons/04-cross-node-vxlan.yaml', 'utf8')) as { spec: { scenario: { yaml: string } } };
  const share = await shareHash(page, lesson.spec.scenario.yaml);
  await page.goto(`./#lesson=04-cross-node-vxlan&step=3&${share}`);
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-step', '2');
  await expect(page.getByTestId('lesson-step')).toContainText('What the wrapper costs');
  await expect(page.getByTestId('cluster-facts')).toContainText('lesson-04');
  // The prediction waits for the room's answer; PageDown does not skip it.
  await expect(page.getByTestId('lesson-predict')).toHaveAttribute('data-phase', 'asking', { timeout: 30_000 });
  await shot(page, 'projector-asking');
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-step', '2');
  await predict(page, /^148\b/);
  // The packet plays to its end; then PageDown steps to step 4.
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-step', '2');
  for (let i = 0; i < 40; i++) {
    if ((await page.getByTestId('lesson-step').getAttribute('data-step')) === '3') break;
    await page.keyboard.press('PageDown');
  }
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-step', '3');
  await page.keyboard.press('PageUp');
  await shot(page, 'projector-step4');
  expect(errors).toEqual([]);
});
