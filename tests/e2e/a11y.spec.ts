/**
 * Accessibility of the main views, checked with axe-core (WCAG 2.1 A and AA rules): the canvas,
 * a trace with its hop list, the packet inspector, the Edit tab, the terminal, Compare and
 * presentation mode. No serious or critical violation is allowed; the report names the rule,
 * the elements and axe's help text so a failure says what to fix.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openFresh } from './laptop';

async function expectNoSeriousViolations(page: Page, view: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${view}: ${v.id} (${v.impact}) ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
  expect(report, `${bad.length} serious or critical violations`).toBe('');
}

test('@a11y the main views have no serious or critical axe violations', async ({ page }) => {
  test.setTimeout(120_000);
  await openFresh(page, 'a11y');
  // The terminal is in the dock from the start (once the page is idle).
  await expect(page.locator('.xterm-helper-textarea')).toHaveCount(1);
  await expectNoSeriousViolations(page, 'canvas and terminal');

  // A trace: the hop list in the side panel, the inspector in the dock.
  const to = page.getByTestId('trace-to');
  const remote = await to.locator('option', { hasText: /^default\/web-.*worker-2\)$/ }).first().getAttribute('value');
  await to.selectOption(remote!);
  await page.getByTestId('trace-run').click();
  await expect(page.getByTestId('inspector')).toContainText('Request · hop 1');
  await page.getByTestId('hop').nth(7).click();
  await expectNoSeriousViolations(page, 'trace and inspector');

  await page.getByTestId('compare-toggle').click();
  await expect(page.getByTestId('compare-request')).toBeVisible();
  await expectNoSeriousViolations(page, 'compare');
  await page.keyboard.press('Escape');

  await page.getByTestId('tab-edit').click();
  await expect(page.getByTestId('cni-mode')).toBeVisible();
  await expectNoSeriousViolations(page, 'edit');

  await page.getByTestId('presentation').click();
  await expect(page.getByTestId('hop-caption')).toBeVisible();
  await expectNoSeriousViolations(page, 'presentation');
});
