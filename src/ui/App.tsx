/**
 * The page: the top bar (cluster facts, undo/redo, examples, import/export, share), messages,
 * the cluster drawing with the dock under it (the terminal, and beside it the packet inspector
 * while there is a trace: the full width of the stage gives the headers room; the dock's height
 * can be dragged), and the side panel (Trace, YAML, Edit), which can be hidden.
 *
 * Presentation mode (a projector): the canvas and the current hop's explanation in large text
 * fill the screen; editing (the YAML and Edit tabs, the scenario menu, the palette) is hidden,
 * the side panel and the dock are closed until asked for.
 *
 * Keyboard: Ctrl/Cmd+Z undo, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redo, Space play/pause, ← → step —
 * except while typing in a field, the editor or the terminal, which keep their own keys. In
 * presentation mode PageDown/PageUp and ↓ ↑ step too (what a clicker sends), and F toggles
 * full screen.
 */
import { lazy, Suspense, useEffect, useRef, useState, type DragEvent, type KeyboardEvent, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import { ClusterCanvas } from './canvas/ClusterCanvas';
import { Notices } from './panels/Notices';
import { openFile, ScenarioMenu } from './panels/ScenarioMenu';
import { TracePanel } from './panels/TracePanel';
import type { AppStore } from './store';
import { useApp, useAppStoreApi } from './StoreContext';
import { hopCount } from './trace/playback';
import { whenIdle } from './whenIdle';
import { storage } from './state/boot';
import { classViewKey, useClassView } from './lessons/classView/classViewMode';
import { getPrefs, sidebarOpen, toggleFullscreen, useViewPrefs } from './canvas/viewPrefs';
import { LessonsButton, LessonTab, openDroppedLesson } from './lessons/entry';
import { clusterHints } from './panels/terminalHints';
import { clampDock, dockKeyHeight, loadDockShare, saveDockShare } from './panels/dockSize';

// xterm.js and CodeMirror are loaded after the cluster is drawn: the first render needs neither.
const TerminalPanel = lazy(() => import('./panels/TerminalPanel').then((m) => ({ default: m.TerminalPanel })));
const ScenarioPanel = lazy(() => import('./panels/ScenarioPanel').then((m) => ({ default: m.ScenarioPanel })));
const EditPanel = lazy(() => import('./panels/EditPanel').then((m) => ({ default: m.EditPanel })));
// The lesson author (issue 14 §3) loads when its tab is first opened.
// The class view (issue 14 §3): an instructor's mode over presentation mode (C toggles it).
const ClassViewHost = lazy(() => import('./lessons/classView/ClassViewHost').then((m) => ({ default: m.ClassViewHost })));
const AuthorPanel = lazy(() => import('./lessons/author/AuthorTab').then((m) => ({ default: m.AuthorTab })));
// The inspector and the presentation caption come with the trace view's code (the first trace).
const Inspector = lazy(() => import('./panels/TraceView').then((m) => ({ default: m.DockInspector })));
const HopCaption = lazy(() => import('./panels/TraceView').then((m) => ({ default: m.HopCaption })));
const loading = <p className="muted">Loading…</p>;

const LESSON_TAB = { id: 'lesson', label: 'Lesson' } as const;
const TABS = [
  { id: 'trace', label: 'Trace' },
  { id: 'scenario', label: 'YAML' },
  { id: 'edit', label: 'Edit' },
  { id: 'author', label: 'Author' },
] as const;

/** Typing targets keep their keys (the editor and terminal have their own undo and arrows). */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.closest) return false;
  return !!el.closest('input, textarea, select, [contenteditable="true"], .cm-editor, .xterm');
}

function onGlobalKey(store: AppStore, e: globalThis.KeyboardEvent): void {
  if (e.defaultPrevented) return;
  const st = store.getState();
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey && (e.key === 'z' || e.key === 'Z' || e.key === 'y')) {
    if (typing(e.target)) return;
    e.preventDefault();
    if (e.key === 'y' || e.shiftKey) st.redo();
    else st.undo();
    return;
  }
  if (mod || e.altKey || typing(e.target)) return;
  if (classViewKey(e, false)) return;
  const presenting = getPrefs().presentation;
  if (presenting && (e.key === 'f' || e.key === 'F')) {
    e.preventDefault();
    toggleFullscreen();
    return;
  }
  if (hopCount(st.trace) === 0) return;
  // A presenter's clicker sends PageDown/PageUp (some send ↓ ↑): each steps one hop.
  if (presenting && (e.key === 'PageDown' || e.key === 'PageUp' || e.key === 'ArrowDown' || e.key === 'ArrowUp' || e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && (e.target as HTMLElement | null)?.closest?.('select, [role="tablist"], ol, ul')) return;
    e.preventDefault();
    st.step(e.key === 'PageDown' || e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : -1);
    return;
  }
  // Buttons keep Space for clicking them.
  if (e.key === ' ' && !(e.target as HTMLElement | null)?.closest?.('button, summary, a')) {
    e.preventDefault();
    if (st.playing) st.pause();
    else if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) st.step(1);
    else st.play();
  } else if (e.key === 'ArrowRight' && !(e.target as HTMLElement | null)?.closest?.('.react-flow')) {
    e.preventDefault();
    st.step(1);
  } else if (e.key === 'ArrowLeft' && !(e.target as HTMLElement | null)?.closest?.('.react-flow')) {
    e.preventDefault();
    st.step(-1);
  }
}

export function App() {
  const store = useAppStoreApi();
  const tab = useApp((s) => s.tab);
  const setTab = useApp((s) => s.setTab);
  const errorCount = useApp((s) => s.errors.length);
  const dirty = useApp((s) => s.scenarioText !== s.appliedText);
  const [dragging, setDragging] = useState(false);
  const [prefs] = useViewPrefs();
  const presenting = prefs.presentation;
  const classView = useClassView();
  // An open lesson adds its tab, first (ui/lessons).
  const lessonOpen = useApp((s) => s.lesson !== null);
  const tabs = (lessonOpen ? [LESSON_TAB, ...TABS] : TABS).filter((t) => !presenting || t.id === 'trace' || t.id === 'lesson');
  const traceNow = useApp((s) => s.trace !== null);
  // Once there has been a trace the dock keeps its inspector pane (a cleared trace leaves a
  // note there), so the terminal does not change width, and reflow, with every edit.
  const [hasTrace, setHasTrace] = useState(false);
  useEffect(() => {
    if (traceNow) setHasTrace(true);
  }, [traceNow]);
  const [terminalOpen, setTerminalOpen] = useState(true);
  // Presentation closes the dock (the canvas fills the screen); leaving it opens it again.
  useEffect(() => setTerminalOpen(!presenting), [presenting]);
  // The dock's height once dragged or keyed (a share of the stage, remembered per browser:
  // dockSize.ts); until then the style sheet's default for what it holds.
  const [dockShare, setDockShare] = useState<number | null>(loadDockShare);
  const resizeDock = (share: number | null) => {
    setDockShare(share);
    saveDockShare(share);
  };
  // Editing tabs are hidden in presentation mode.
  useEffect(() => {
    if (presenting && tab !== 'trace' && tab !== 'lesson') setTab('trace');
  }, [presenting, tab, setTab]);
  // The terminal (xterm and the shell, the biggest chunk) mounts once the cluster is drawn.
  const [terminalReady, setTerminalReady] = useState(false);
  useEffect(() => whenIdle(() => setTerminalReady(true)), []);

  // A lesson being written records the author's actions from the first one after a reload.
  useEffect(() => {
    if (storage()?.getItem('podpath.lessonDraft.v1')) void import('./lessons/author/authorRuntime').then((m) => m.authorFor(store));
  }, [store]);

  useEffect(() => {
    const handler = (e: globalThis.KeyboardEvent) => onGlobalKey(store, e);
    window.addEventListener('keydown', handler);
    return () => window.removeEventListener('keydown', handler);
  }, [store]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files?.[0];
    if (f) void openDroppedLesson(store, f).then((lesson) => (lesson ? undefined : openFile(store, f)));
  };
  const onDragOver = (e: DragEvent) => {
    if (![...e.dataTransfer.types].includes('Files')) return;
    e.preventDefault();
    setDragging(true);
  };

  const onTabKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const i = tabs.findIndex((t) => t.id === tab);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    setTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <div className="app" onDragOver={onDragOver} onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)} onDrop={onDrop}>
      <a className="skip-link" href="#sidebar">
        Skip to the panels
      </a>
      <TopBar />
      <Notices />
      <main className="workspace">
        <div className="stage">
          <ClusterCanvas />
          {presenting && traceNow && (
            <Suspense fallback={null}>
              <HopCaption />
            </Suspense>
          )}
          <section
            className={`dock${terminalOpen ? '' : ' dock--closed'}${hasTrace ? ' dock--trace' : ''}`}
            aria-label={hasTrace ? 'Terminal and packet inspector' : 'Terminal panel'}
            style={terminalOpen && dockShare !== null ? { height: `${(dockShare * 100).toFixed(2)}%` } : undefined}
            data-testid="dock"
          >
            {terminalOpen && <DockResizer onResize={resizeDock} />}
            <header className="dock__bar">
              <button type="button" className="dock__toggle" onClick={() => setTerminalOpen((o) => !o)} aria-expanded={terminalOpen} data-testid="terminal-toggle">
                {terminalOpen ? '▾' : '▸'} Terminal{hasTrace ? ' and packet' : ''}
              </button>
              <DockHint />
            </header>
            <div className="dock__body" hidden={!terminalOpen}>
              <div className="dock__terminal">
                {terminalReady ? (
                  <Suspense fallback={loading}>
                    <TerminalPanel />
                  </Suspense>
                ) : (
                  loading
                )}
              </div>
              {hasTrace && (
                <div className="dock__inspector">
                  {traceNow ? (
                    <Suspense fallback={loading}>
                      <Inspector />
                    </Suspense>
                  ) : (
                    <p className="muted">No packet to inspect: the last change to the cluster cleared the trace. Press Trace, or ping from the terminal, to follow one again.</p>
                  )}
                </div>
              )}
            </div>
          </section>
        </div>
        {classView && (
          <Suspense fallback={null}>
            <ClassViewHost />
          </Suspense>
        )}
        <aside className="sidebar" id="sidebar" aria-label="Panels" hidden={!sidebarOpen(prefs)} data-testid="sidebar">
          <nav className="tabs" role="tablist" aria-label="Panels" onKeyDown={onTabKey}>
            {tabs.map((t) => (
              <TabButton key={t.id} id={t.id} tab={tab} setTab={setTab}>
                {t.label}
                {t.id === 'scenario' && errorCount > 0 && <span className="tabs__badge" aria-label={`${errorCount} errors`}>{errorCount}</span>}
                {t.id === 'scenario' && errorCount === 0 && dirty && <span className="tabs__dot" aria-label="edited, not applied">●</span>}
              </TabButton>
            ))}
          </nav>
          <div className="sidebar__body" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            <Suspense fallback={loading}>
              {tab === 'lesson' && lessonOpen ? <LessonTab /> : tab === 'scenario' ? <ScenarioPanel /> : tab === 'edit' ? <EditPanel /> : tab === 'author' ? <AuthorPanel /> : <TracePanel />}
            </Suspense>
          </div>
        </aside>
      </main>
      {dragging && (
        <div className="drop-overlay" aria-hidden>
          Drop a scenario or lesson YAML file to open it
        </div>
      )}
    </div>
  );
}

function TabButton({ id, tab, setTab, children }: { id: string; tab: string; setTab: (t: string) => void; children: ReactNode }) {
  const on = tab === id;
  return (
    <button type="button" role="tab" id={`tab-${id}`} aria-selected={on} aria-controls={`panel-${id}`} tabIndex={on ? 0 : -1} className={on ? 'is-on' : ''} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
      {children}
    </button>
  );
}

function TopBar() {
  const [{ presentation: presenting }, setPrefs] = useViewPrefs();
  const config = useApp((s) => s.cluster?.config);
  const nodeCount = useApp((s) => s.cluster?.nodes.length ?? 0);
  const podCount = useApp((s) => s.cluster?.pods.size ?? 0);
  return (
    <header className="topbar">
      <h1 className="topbar__brand">
        <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" width={22} height={22} />
        podpath
      </h1>
      {config && (
        <div className="topbar__facts" data-testid="cluster-facts">
          <span className="topbar__cluster">{config.name}</span>
          <span className="badge" data-testid="fact-cni">CNI {config.cni}</span>
          <span className="badge">kube-proxy {config.kubeProxy}</span>
          <span className="muted">
            {nodeCount} nodes · {podCount} pods · pods {config.podCIDR.toString()} · services {config.serviceCIDR.toString()}
          </span>
        </div>
      )}
      <LessonsButton />
      {!presenting && <ScenarioMenu />}
      {presenting && (
        <button type="button" className="button topbar__exit" onClick={() => setPrefs({ presentation: false })} data-testid="exit-presentation">
          Exit presentation
        </button>
      )}
    </header>
  );
}

/**
 * The dock's top edge: drag it (or focus it and press ↑ ↓, Home, End) to give the terminal and
 * the packet inspector more or less of the stage; a double click (or Enter) goes back to the
 * default height. The size is remembered (dockSize.ts).
 */
function DockResizer({ onResize }: { onResize: (share: number | null) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const heightNow = () => ref.current?.parentElement?.getBoundingClientRect().height ?? 240;
  const stageHeight = () => ref.current?.closest('.stage')?.getBoundingClientRect().height ?? 800;
  const resize = (px: number) => {
    const stage = stageHeight();
    onResize(clampDock(px, stage) / stage);
  };
  const onPointerDown = (e: ReactPointerEvent) => {
    e.preventDefault();
    const startY = e.clientY;
    const start = heightNow();
    const move = (ev: globalThis.PointerEvent) => resize(start + startY - ev.clientY);
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onResize(null);
      return;
    }
    const px = dockKeyHeight(e.key, heightNow(), stageHeight());
    if (px === null) return;
    e.preventDefault();
    resize(px);
  };
  return (
    <div
      ref={ref}
      className="dock__resize"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the terminal and packet inspector (↑ ↓, Home, End; Enter for the default)"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round((100 * heightNow()) / stageHeight())}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onDoubleClick={() => onResize(null)}
      onKeyDown={onKeyDown}
      data-testid="dock-resize"
    />
  );
}

/** The dock bar's line: where the network tools run, naming this cluster's node and pod (terminalHints.ts). */
function DockHint() {
  const cluster = useApp((s) => s.cluster);
  const h = cluster ? clusterHints(cluster) : undefined;
  return <span className="muted">workstation: kubectl, ssh {h?.node ?? 'NODE'} · in a pod: {h?.exec ?? 'kubectl exec -it POD -- sh'}, then ping, traceroute · Esc then Tab leaves</span>;
}
