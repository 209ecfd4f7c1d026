/**
 * End-to-end smoke test of the built app, in Debian's Chromium (no browser download):
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
  projects: [
    { name: 'chromium-light', use: { colorScheme: 'light' }, grepInvert: /@dark/ },
    { name: 'chromium-dark', use: { colorScheme: 'dark' }, grep: /@dark/ },
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
