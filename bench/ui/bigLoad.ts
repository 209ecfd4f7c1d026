/**
 * The big-cluster load of `npm run bench:ui` (issue 13 point 11): a 1,000-node / 10,000-pod
 * scenario opened in the built app from a share link, then again from its autosave (a reload),
 * in Chromium. Measured: the time from navigation to ready (the top bar counts the big cluster's
 * nodes and its node boxes are on the canvas), every main-thread task over 50 ms (the Long Tasks
 * API, observed from before the page's first script) and the page's JS heap once ready.
 * Targets: ready ≤ 5 s, no task over 200 ms.
 */
import { deflateRawSync } from 'node:zlib';
import type { Browser, Page } from '@playwright/test';
import { generateCluster } from '../generateCluster';

export const BIG = { nodes: 1000, totalPods: 10_000 };

/** The scenario: Node manifests, Deployments and Pods (bench/generateCluster.ts), under the app's 2,000,000-character cap. */
export function bigScenario(): string {
  return generateCluster({ ...BIG, targetBytes: 1_500_000 }).text;
}

/** `#share=1.…` for a text, as src/ui/state/shareLink.ts encodes it (deflate-raw of JSON, base64url). */
export function shareHash(yaml: string): string {
  const b64 = deflateRawSync(Buffer.from(JSON.stringify({ yaml }), 'utf8'), { level: 9 }).toString('base64');
  return `share=1.${b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

export interface LoadRun {
  /** Navigation start to ready, ms. */
  ready: number;
  /** Longest main-thread task, ms (0 when none reached 50 ms). */
  longest: number;
  /** Tasks over 200 ms. */
  over200: number;
  /** Sum of the tasks over 50 ms, ms. */
  blocked: number;
  /** The page's JS heap once ready (main thread, after a GC), MB. */
  heapMB: number;
}

declare global {
  interface Window {
    __long?: number[];
  }
}

/** Watch long tasks from the first script on (before the app's). */
async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long!.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

async function waitReady(page: Page, nodes: number, timeout: number): Promise<number> {
  await page.waitForFunction(
    (n) => {
      const facts = document.querySelector('[data-testid="cluster-facts"]')?.textContent ?? '';
      return facts.includes(`${n} nodes`) && !!document.querySelector('.react-flow__node-k8sNode') && !document.querySelector('[data-testid="canvas-loading"]');
    },
    nodes,
    { timeout, polling: 50 },
  );
  return page.evaluate(() => performance.now());
}

async function runOf(page: Page, ready: number): Promise<LoadRun> {
  // Tasks still running right after ready count too (the drawing settling).
  await page.waitForTimeout(1500);
  const tasks = await page.evaluate(() => window.__long ?? []);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return {
    ready,
    longest: tasks.length ? Math.max(...tasks) : 0,
    over200: tasks.filter((t) => t > 200).length,
    blocked: tasks.reduce((a, b) => a + b, 0),
    heapMB: usedSize / 1e6,
  };
}

/** Open the share link in a fresh browser context, then reload (the autosave's turn). */
export async function measureBigLoad(browser: Browser, baseUrl: string, viewport: { width: number; height: number }, hash: string): Promise<{ share: LoadRun; reload: LoadRun }> {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    await watchLongTasks(page);
    await page.goto(`${baseUrl}#${hash}`);
    const share = await runOf(page, await waitReady(page, BIG.nodes, 120_000));
    // Autosave writes 400 ms after the last change; the drawing settled for 1.5 s above.
    await page.reload();
    const reload = await runOf(page, await waitReady(page, BIG.nodes, 120_000));
    return { share, reload };
  } finally {
    await context.close();
  }
}
