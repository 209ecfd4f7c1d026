/**
 * For tests of drawings (`import '../testing/drawingEngine'`; renderApp.tsx imports it): the
 * drawing engine attached at once, as the page has it once its chunk is here (ui/drawing.ts), so
 * flowOf and the trace form draw every cluster — not the stand-in a page shows for the moment
 * before, which src/ui/drawing.test.ts looks at.
 */
import { attachDrawing } from '../drawing';
import * as drawing from '../drawingChunk';

attachDrawing(drawing);
