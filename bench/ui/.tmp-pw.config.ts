import base from '../../playwright.config';
import { defineConfig } from '@playwright/test';
export default defineConfig({
  ...base,
  testDir: '../../tests/e2e',
  outputDir: '../../test-results/e2e-canvas',
  use: { ...base.use, baseURL: 'http://127.0.0.1:4191/' },
  webServer: { command: 'npx vite build --logLevel error --outDir /tmp/pp-dist2 && npx vite preview --outDir /tmp/pp-dist2 --port 4191 --strictPort --host 127.0.0.1', url: 'http://127.0.0.1:4191/', reuseExistingServer: false, timeout: 180000, stdout: 'ignore', stderr: 'pipe', cwd: '/work/main' },
});
