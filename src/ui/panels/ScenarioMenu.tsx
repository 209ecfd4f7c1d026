/**
 * Top bar actions: undo/redo, built-in examples, import and export of the scenario file, and
 * the share link. Files and links go through the size caps and the engine's loader; whatever
 * they carry is shown as text.
 */
import { useEffect, useRef, useState } from 'react';
import { editingFor } from '../editing';
import { MAX_SCENARIO_CHARS, tooLarge } from '../state/limits';
import { shareUrl } from '../state/boot';
import type { AppStore } from '../store';
import { useApp, useAppStoreApi } from '../StoreContext';
import { KeptWork } from './KeptWork';

interface Example {
  file: string;
  title: string;
  about: string;
}

const base = () => import.meta.env.BASE_URL;

/** Read a dropped or chosen file as a scenario (size-capped before reading). */
export async function openFile(store: AppStore, file: File): Promise<void> {
  const big = tooLarge(`The file ${file.name}`, file.size, MAX_SCENARIO_CHARS);
  if (big) {
    store.getState().notify({ kind: 'error', text: big });
    return;
  }
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    store.getState().notify({ kind: 'error', text: `Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}` });
    return;
  }
  if (!(await editingFor(store).then(() => true, () => false))) return; // editingFor said why
  if (store.getState().openScenario(text, `the file ${file.name}`, file.name)) store.getState().notify({ kind: 'info', text: `Opened ${file.name}. Undo (Ctrl+Z) brings back what you had before.` });
}

export function ScenarioMenu() {
  const store = useAppStoreApi();
  const canUndo = useApp((s) => s.past.length > 0);
  const canRedo = useApp((s) => s.future.length > 0);
  const undoWhat = useApp((s) => s.past[s.past.length - 1]?.description);
  const redoWhat = useApp((s) => s.future[s.future.length - 1]?.description);
  const hasTrace = useApp((s) => s.trace !== null);
  const [examples, setExamples] = useState<Example[]>([]);
  const [link, setLink] = useState<string | null>(null);
  const [withTrace, setWithTrace] = useState(true);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    fetch(`${base()}examples/index.json`)
      .then((r) => (r.ok ? r.json() : []))
      .then((list: Example[]) => setExamples(Array.isArray(list) ? list : []))
      .catch(() => setExamples([]));
  }, []);

  const openExample = async (e: Example) => {
    try {
      const r = await fetch(`${base()}examples/${e.file}`);
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const text = await r.text();
      await editingFor(store);
      store.getState().openScenario(text, `the example “${e.title}”`, e.file);
    } catch (err) {
      store.getState().notify({ kind: 'error', text: `Could not fetch the example ${e.file}: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  const exportFile = () => {
    const st = store.getState();
    download(`${st.cluster?.config.name ?? 'scenario'}.yaml`, st.appliedText, 'application/yaml');
  };

  /** The Linux lab script (`podpath export linux`): the same data plane in real network namespaces. */
  const exportLab = async () => {
    const cluster = store.getState().cluster;
    if (!cluster) return;
    // The exporter is a chunk of its own: most visits never ask for it.
    const { exportLinux } = await import('../../engine/export');
    const script = exportLinux(cluster);
    if (!script.ok) {
      store.getState().notify({ kind: 'error', text: script.errors.map((e) => e.message).join('\n') });
      return;
    }
    download('lab.sh', script.value, 'text/x-shellscript');
    store.getState().notify({ kind: 'info', text: 'lab.sh downloaded: run `sudo bash lab.sh` on a Linux machine with iproute2 and iptables; `sudo bash lab.sh down` removes it.' });
  };

  const makeLink = async () => {
    const url = await shareUrl(store, withTrace);
    setLink(url);
    try {
      await navigator.clipboard.writeText(url);
      store.getState().notify({ kind: 'info', text: 'Share link copied to the clipboard.' });
    } catch {
      /* the link is shown for copying by hand */
    }
  };

  return (
    <div className="menu" role="toolbar" aria-label="Scenario">
      <button type="button" className="button" onClick={() => store.getState().undo()} disabled={!canUndo} title={canUndo ? `Undo ${undoWhat} (Ctrl+Z)` : 'Nothing to undo'} aria-label={canUndo ? `Undo ${undoWhat}` : 'Undo'} data-testid="undo">
        ↶ Undo
      </button>
      <button type="button" className="button" onClick={() => store.getState().redo()} disabled={!canRedo} title={canRedo ? `Redo ${redoWhat} (Shift+Ctrl+Z)` : 'Nothing to redo'} aria-label={canRedo ? `Redo ${redoWhat}` : 'Redo'} data-testid="redo">
        ↷ Redo
      </button>
      <details className="dropdown">
        <summary className="button" data-testid="examples-menu">
          Examples
        </summary>
        <ul className="dropdown__list">
          {examples.map((e) => (
            <li key={e.file}>
              <button
                type="button"
                className="dropdown__item"
                onClick={(ev) => {
                  (ev.currentTarget.closest('details') as HTMLDetailsElement).open = false;
                  void openExample(e);
                }}
                data-testid={`example-${e.file}`}
              >
                <strong>{e.title}</strong>
                <span className="muted">{e.about}</span>
              </button>
            </li>
          ))}
        </ul>
      </details>
      <button type="button" className="button" onClick={() => fileInput.current?.click()} title="Open a scenario YAML file (or drop one on the page)" data-testid="import">
        Import
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".yaml,.yml,.json,text/yaml,application/yaml"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void openFile(store, f);
          e.target.value = '';
        }}
        data-testid="import-input"
      />
      <button type="button" className="button" onClick={exportFile} title="Download the scenario as YAML" data-testid="export">
        Export
      </button>
      <button type="button" className="button" onClick={() => void exportLab()} title="Download a bash script that builds this cluster's network in Linux network namespaces" data-testid="export-linux">
        Linux lab
      </button>
      <details className="dropdown" onToggle={(e) => !(e.target as HTMLDetailsElement).open && setLink(null)}>
        <summary className="button" data-testid="share-menu">
          Share
        </summary>
        <div className="dropdown__panel">
          <label className="checkbox">
            <input type="checkbox" checked={withTrace && hasTrace} disabled={!hasTrace} onChange={(e) => setWithTrace(e.target.checked)} /> Include the current trace
          </label>
          <button type="button" className="button button--primary" onClick={() => void makeLink()} data-testid="share-make">
            Copy share link
          </button>
          {link && <input className="mono share-link" readOnly value={link} onFocus={(e) => e.target.select()} aria-label="Share link" data-testid="share-link" />}
          <p className="muted hint">The whole scenario travels in the link; nothing is uploaded.</p>
        </div>
      </details>
      <KeptWork />
    </div>
  );
}

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
