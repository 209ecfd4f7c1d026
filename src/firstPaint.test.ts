/**
 * What the first paint loads is src/main.tsx's static import graph (vite.config.ts puts it in one
 * chunk; bench:ui holds its size to a ratio of a bare React Flow build). Every part the demo's
 * first paint does not need is a chunk fetched later; this keeps each of them out of that graph,
 * and names how a module got in when one does.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importChain, importGraph, staticSpecifiers } from '../tests/unit/importGraph';

const SRC = __dirname;
const graph = importGraph(join(SRC, 'main.tsx'));
const reached = [...graph.keys()].map((f) => f.slice(SRC.length + 1));
const chain = (rel: string) => importChain(graph, join(SRC, rel), SRC);

/** Lazy parts, by path prefix: none of them may be in the first paint's graph. */
const LATER = [
  'engine/cni/', // every CNI plugin (the drawing engine, ui/drawingChunk.ts)
  'engine/services/table.ts',
  'engine/services/allocate.ts',
  'engine/kubeproxy/',
  'engine/dataplane/',
  'engine/policy/',
  'engine/dns/',
  'engine/trace/',
  'engine/controllers/',
  'engine/export/',
  'engine/scenario/parseYaml.ts',
  'engine/load.ts',
  'engine/loadParsed.ts',
  'ui/drawingChunk.ts',
  'ui/editingChunk.ts',
  'ui/loaderChunk.ts',
  'ui/builtInDrawing.ts',
  'ui/canvas/serviceTable.ts',
  'ui/canvas/PacketLayer.tsx',
  'ui/canvas/TraceCamera.tsx',
  'ui/canvas/CompareView.tsx',
  'ui/canvas/exportImage.ts',
  'ui/canvas/exportSvg.ts',
  'ui/canvas/exportPcap.ts',
  'ui/panels/TerminalPanel.tsx',
  'ui/panels/ScenarioPanel.tsx',
  'ui/panels/EditPanel.tsx',
  'ui/panels/TraceView.tsx',
  'ui/panels/Inspector.tsx',
  'ui/panels/HopList.tsx',
  'ui/state/manifests.ts',
];

/** Of the lessons, the first paint holds the Lessons button, the lesson-link test and the class view's switch (ui/lessons/entry.tsx). */
const LESSONS_FIRST = ['ui/lessons/entry.tsx', 'ui/lessons/lessonLink.ts', 'ui/lessons/activeKey.ts', 'ui/lessons/classView/classViewMode.ts'];

/** Packages only later chunks use: the YAML parser, the terminal, the editor. */
const LATER_PACKAGES = /^(js-yaml|@xterm\/|@codemirror\/|codemirror$)/;

describe('the first paint’s import graph (src/main.tsx)', () => {
  it('holds the page, the store and the canvas (the walk sees the graph)', () => {
    for (const f of ['ui/App.tsx', 'ui/store.ts', 'ui/canvas/ClusterCanvas.tsx', 'ui/canvas/flowOf.ts', 'ui/drawing.ts', 'ui/state/clusterCopy.ts', 'ui/panels/TracePanel.tsx']) expect(reached).toContain(f);
  });

  it('reaches none of the lazy parts', () => {
    expect(reached.filter((f) => LATER.some((p) => f.startsWith(p))).map(chain)).toEqual([]);
  });

  it('holds of the lessons only their entry points', () => {
    expect(reached.filter((f) => f.startsWith('ui/lessons/') && !LESSONS_FIRST.includes(f)).map(chain)).toEqual([]);
  });

  it('imports none of the later chunks’ packages', () => {
    const offending = [...graph.keys()].filter((f) => /\.tsx?$/.test(f) && staticSpecifiers(f).some((s) => LATER_PACKAGES.test(s)));
    expect(offending.map((f) => chain(f.slice(SRC.length + 1)))).toEqual([]);
  });

  it('would see the drawing engine from the chunk that brings it (the check is not vacuous)', () => {
    const later = [...importGraph(join(SRC, 'ui/drawingChunk.ts')).keys()].map((f) => f.slice(SRC.length + 1));
    expect(later.filter((f) => LATER.some((p) => f.startsWith(p))).length).toBeGreaterThan(0);
  });
});
