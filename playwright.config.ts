/**
 * End-to-end tests of the built app, in Debian's Chromium (no browser download), at desktop,
 * laptop and projector sizes (the projects below):
 * `npm run test:e2e` builds with Vite, serves the static build with `vite preview` (the same
 * relative-base bundle GitHub Pages gets) and drives it.
 */
import { defineConfig } from '@playwright/test';

// E2E_PORT lets several checkouts on one machine run their suites at once (each its own preview server).
const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1600, height: 1000 },
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    },
  },
  // Screen sizes: a desktop (1600×1000) runs everything; a 1366×768 laptop runs everything
  // again (the commonest classroom laptop), a 1280×720 laptop the layout checks (@laptop), a
  // 1920×1080 projector the presentation-mode checks (@projector). Two full runs and two short
  // ones keep CI within a few minutes on 2 cores.
  projects: [
    { name: 'chromium-light', use: { colorScheme: 'light' }, grepInvert: /@dark|@laptop|@projector|@a11y/ },
    { name: 'chromium-dark', use: { colorScheme: 'dark' }, grep: /@dark/ },
    { name: 'laptop-1366', use: { colorScheme: 'light', viewport: { width: 1366, height: 768 } }, grepInvert: /@dark|@projector/ },
    { name: 'laptop-1280', use: { colorScheme: 'light', viewport: { width: 1280, height: 720 } }, grep: /@laptop/ },
    { name: 'projector-1920', use: { colorScheme: 'light', viewport: { width: 1920, height: 1080 } }, grep: /@projector/ },
  ],
  webServer: {
    command: `npx vite build --logLevel error && npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
