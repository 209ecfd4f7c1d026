/**
 * Shared by the layout specs: open the demo with a few pods added (as a share link, the way a
 * class gets it), read what is drawn on screen, and take a screenshot for a human to look at.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const DEMO = readFileSync('src/scenarios/demo.yaml', 'utf8');

/** Two more pods on worker-2 and one on worker-1: the demo "with a few added pods". */
export const DEMO_PLUS = `${DEMO.trimEnd()}
${['api-1:worker-2', 'api-2:worker-2', 'cache-1:worker-1']
  .map(
    (p) => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${p.split(':')[0]}
  namespace: default
  labels: {app: ${p.split(':')[0].replace(/-\d+$/, '')}}
spec:
  nodeName: ${p.split(':')[1]}
  containers:
  - name: main
    image: nginx:1.27
`,
  )
  .join('')}`;

/** A share link's hash for a scenario (and trace), encoded in the page as the app does (deflate-raw, base64url). */
export async function shareHash(page: Page, yaml: string, trace?: { from: string; to: string; proto: 'icmp' | 'tcp' | 'udp'; port?: number }): Promise<string> {
  return page.evaluate(async ({ yaml, trace }) => {
    const json = JSON.stringify(trace ? { yaml, trace } : { yaml });
    const stream = new Blob([new TextEncoder().encode(json)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return `share=1.${btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
  }, { yaml, trace });
}

/** A fresh page (no autosave, default view prefs) at `hash`, or the demo when none. */
export async function openFresh(page: Page, key: string, hash = ''): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript((k) => {
    if (!sessionStorage.getItem(k)) {
      localStorage.clear();
      sessionStorage.setItem(k, '1');
    }
  }, key);
  await page.goto('./');
  await expect(page.getByTestId('cluster-facts')).toContainText('demo');
  if (hash) {
    await page.evaluate((h) => (window.location.hash = h), hash);
    await expect(page.getByText('Opened the shared scenario')).toBeVisible();
  }
  return errors;
}

/** On-screen font size of an element's text: computed font-size × the CSS zoom above it × the canvas zoom when it is drawn in React Flow. */
export async function screenFontPx(page: Page, selector: string): Promise<{ text: string; px: number; visible: boolean }[]> {
  return page.$$eval(selector, (els) =>
    els.map((el) => {
      const e = el as HTMLElement;
      const css = parseFloat(getComputedStyle(e).fontSize);
      // getBoundingClientRect includes every transform (the flow viewport's scale) and CSS zoom:
      // the ratio of the drawn height to the layout height is the scale the text is drawn at.
      const r = e.getBoundingClientRect();
      const scale = e.offsetHeight > 0 ? r.height / e.offsetHeight : 0;
      const canvas = e.closest('.canvas')?.getBoundingClientRect();
      const visible = r.width > 0 && (!canvas || (r.right > canvas.left && r.left < canvas.right && r.bottom > canvas.top && r.top < canvas.bottom));
      return { text: e.textContent ?? '', px: css * scale, visible };
    }),
  );
}

export const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png` });
