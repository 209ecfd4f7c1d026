/**
 * GKE in the app: switch the demo's CNI to gke and to gke-dataplane-v2 from the Edit tab, trace
 * the default request, and see the VPC fabric hop with no tunnel; open the GKE example.
 * Screenshots go to test-results/screenshots/gke-*.png.
 */
import { expect, test, type Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/gke-${name}-${page.viewportSize()?.width}.png` });

async function open(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./');
  await expect(page.getByTestId('cluster-facts')).toBeVisible();
  return errors;
}

for (const mode of ['gke', 'gke-dataplane-v2'] as const) {
  test(`switching the demo to ${mode}: ptp veths, the VPC fabric hop, no tunnel`, async ({ page }) => {
    const errors = await open(page);
    await page.getByTestId('tab-edit').click();
    await page.getByTestId('cni-mode').selectOption(mode);
    await expect(page.getByTestId('fact-cni')).toHaveText(`CNI ${mode}`);
    await page.getByTestId('tab-trace').click();
    await page.getByTestId('trace-run').click();
    const hops = page.getByTestId('hop-list');
    await expect(hops).toContainText('VPC fabric');
    await expect(hops).not.toContainText('flannel.1');
    await expect(hops).not.toContainText('VXLAN');
    await shot(page, `${mode}-path`);
    expect(errors).toEqual([]);
  });
}

test('the GKE Dataplane V2 example: alias ranges from the pod secondary range, no kube-proxy', async ({ page }) => {
  const errors = await open(page);
  await page.getByText('Examples').click();
  await page.getByRole('button', { name: /GKE VPC-native, Dataplane V2/ }).click();
  await expect(page.getByTestId('fact-cni')).toHaveText('CNI gke-dataplane-v2');
  await expect(page.locator('.react-flow')).toContainText('10.4.');
  await expect(page.locator('.react-flow')).not.toContainText('kube-proxy-');
  await shot(page, 'example');
  expect(errors).toEqual([]);
});
