/**
 * Run `fn` when the main thread is next idle (at the latest after `timeout` ms). The page uses
 * it for what the first drawing does not need — the tracer chunk, the terminal — so their
 * download, parse and set-up do not sit between the first render and the cluster on screen.
 */
export function whenIdle(fn: () => void, timeout = 1500): void {
  const w = window as Window & { requestIdleCallback?: (cb: () => void, opts: { timeout: number }) => number };
  if (w.requestIdleCallback) w.requestIdleCallback(fn, { timeout });
  else setTimeout(fn, 100); // Safari has no requestIdleCallback
}
