/**
 * Azure CNI in the app: switch the demo's CNI to azure-cni and to azure-cni-overlay from the Edit
 * tab, trace the default request, and see the VNet fabric hop with no tunnel; open the AKS overlay
 * example. Screenshots go to test-results/screenshots/azure-*.png.
 */
import { expect, test, type Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/azure-${name}.png` });

async function open(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await expect(page.getByTestId('cluster-facts')).toBeVisible();
  return errors;
}

for (const mode of ['azure-cni', 'azure-cni-overlay'] as const) {
  test(`switching the demo to ${mode}: azv veths, the VNet fabric hop, no tunnel`, async ({ page }) => {
    const errors = await open(page);
    await page.getByTestId('tab-edit').click();
    await page.getByTestId('cni-mode').selectOption(mode);
    await expect(page.getByTestId('fact-cni')).toHaveText(`CNI ${mode}`);
    await page.getByTestId('tab-trace').click();
    await page.getByTestId('trace-run').click();
    const hops = page.getByTestId('hop-list');
    await expect(hops).toContainText('azv');
    await expect(hops).toContainText('VNet fabric');
    await expect(hops).not.toContainText('flannel.1');
    await expect(hops).not.toContainText('VXLAN');
    await shot(page, `${mode}-path`);
    expect(errors).toEqual([]);
  });
}

test('the AKS overlay example: nodes from .4 of the VNet subnet, a /24 of the overlay each', async ({ page }) => {
  const errors = await open(page);
  const summary = page.getByText('Examples');
  await summary.click();
  await page.getByRole('button', { name: /AKS: Azure CNI Overlay/ }).click();
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI azure-cni-overlay');
  await expect(page.locator('.react-flow')).toContainText('10.224.0.4');
  await expect(page.getByTestId('segment')).toContainText('VNet subnet');
  await shot(page, 'overlay-example');
  expect(errors).toEqual([]);
});
