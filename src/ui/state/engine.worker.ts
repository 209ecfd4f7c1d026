/**
 * The engine worker (state/offThread.ts): loads a big scenario and derives its first drawings
 * off the main thread, with the same code the page runs (loadForDrawing), then forgets them.
 */
import { loadCluster } from '../../engine/load';
import { parseYamlFile } from '../../engine/scenario/parseYaml';
import { loadForDrawing, type FromWorker, type ToWorker } from './offThread';
import { attachParser } from './parsedScenarios';
import { attachDrawing } from '../drawing';
import * as drawing from '../drawingChunk';

attachParser({ parseYamlFile, loadCluster });
attachDrawing(drawing);

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

self.addEventListener('message', (e: MessageEvent<ToWorker>) => {
  const { id, files, views } = e.data;
  try {
    loadForDrawing(files, views, post, id);
  } catch (err) {
    post({ id, kind: 'failed', message: err instanceof Error ? err.message : String(err) });
  }
});
