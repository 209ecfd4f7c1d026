/**
 * Component-test helper: a store over the REAL engine (as src/main.tsx builds it) and a
 * component rendered inside <AppStoreProvider>. Test files using it start with
 * `// @vitest-environment jsdom`. If the way the app hands the engine to the store changes,
 * this is the one place component tests need to follow.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach } from 'vitest';
import { loadCluster, trace } from '../../engine';
import { scenarioYaml } from '../../engine/scenario/serialize';
import { traceName } from '../nameTrace';
import { createAppStore, type AppStore } from '../store';
import { AppStoreProvider } from '../StoreContext';
import './drawingEngine';

// A path, not a URL: under jsdom the global URL is jsdom's, which node:fs does not accept.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The app's demo scenario: Flannel VXLAN, three nodes, web Deployment, client pod. */
export const demoText = readFileSync(join(root, 'src/scenarios/demo.yaml'), 'utf8');

/** A built-in example from public/examples (e.g. `policy-lab.yaml`). */
export function exampleText(file: string): string {
  return readFileSync(join(root, 'public/examples', file), 'utf8');
}

/** A file under public/ (what the app fetches at run time), for a fetch stub. */
export function publicFile(path: string): string {
  return readFileSync(join(root, 'public', path), 'utf8');
}

export function makeStore(text: string = demoText): AppStore {
  return createAppStore({ loadCluster: (files) => loadCluster(files), trace, traceName, serialize: scenarioYaml }, text);
}

export interface RenderAppOptions {
  /** Scenario text to load (default: the demo). Ignored when `store` is given. */
  text?: string;
  store?: AppStore;
  /** What `matchMedia('(prefers-reduced-motion: reduce)')` answers. */
  reducedMotion?: boolean;
}

export function renderApp(ui: ReactElement, options: RenderAppOptions = {}): RenderResult & { store: AppStore } {
  stubMatchMedia(options.reducedMotion ?? false);
  const store = options.store ?? makeStore(options.text);
  const result = render(<AppStoreProvider store={store}>{ui}</AppStoreProvider>);
  return { ...result, store };
}

// vitest globals are off at run time, so testing-library cannot register its own cleanup.
afterEach(() => cleanup());

/** jsdom has no matchMedia; PlaybackControls asks it for prefers-reduced-motion. */
function stubMatchMedia(reducedMotion: boolean): void {
  window.matchMedia = (query: string) =>
    ({
      matches: reducedMotion && query.includes('prefers-reduced-motion'),
      media: query,
      onchange: null,
      addEventListener() {},
      removeEventListener() {},
      addListener() {},
      removeListener() {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

/**
 * What jsdom lacks and the panels (or React Flow, CodeMirror, xterm) use. Installed when this
 * module loads, i.e. before the component modules a test imports after it.
 */
function installJsdomGaps(): void {
  if (typeof window === 'undefined') return;
  // jsdom's getContext logs "Not implemented"; xterm probes a canvas at load and copes with null.
  HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;
  if (!('ResizeObserver' in globalThis)) {
    globalThis.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  }
  if (!('DOMMatrixReadOnly' in globalThis)) {
    // React Flow reads the viewport transform through DOMMatrixReadOnly(transform).m22.
    globalThis.DOMMatrixReadOnly = class {
      m22 = 1;
    } as unknown as typeof DOMMatrixReadOnly;
  }
  // jsdom's Blob has no text() (jsdom issue #2555); the import reads files with it.
  if (typeof Blob.prototype.text !== 'function') {
    Blob.prototype.text = function text(this: Blob) {
      return new Promise<string>((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.onerror = () => reject(reader.error);
        reader.readAsText(this);
      });
    };
  }
  // jsdom does no layout: Range has no client rects, which CodeMirror measures selections with.
  if (typeof Range.prototype.getClientRects !== 'function') {
    Range.prototype.getClientRects = () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
    Range.prototype.getBoundingClientRect = () => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) }) as DOMRect;
  }
  // Element.scrollIntoView is not implemented by jsdom (HopList scrolls the current hop into view).
  if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => {};
}
installJsdomGaps();
