/**
 * Work kept aside in this browser (an unreadable save, what a share link replaced, another tab's
 * work this tab chose not to load): listed in the top bar while there is any, each can be opened
 * (undoable, like any opened scenario) or deleted. The way back that survives closing the tab.
 */
import { useEffect, useState } from 'react';
import { editingFor } from '../editing';
import { BEFORE_SHARE_PREFIX, keptKeys, readSaved } from '../state/autosave';
import { storage } from '../state/boot';
import { useApp, useAppStoreApi } from '../StoreContext';

function describe(key: string): string {
  const shared = key.startsWith(BEFORE_SHARE_PREFIX);
  const stamp = key.slice(key.indexOf(':', 'podpath:'.length) + 1);
  const when = Number.isNaN(Date.parse(stamp)) ? stamp : new Date(stamp).toLocaleString();
  return `${shared ? 'Before a share link' : 'Set aside'} · ${when}`;
}

export function KeptWork() {
  const store = useAppStoreApi();
  const s = storage();
  const [keys, setKeys] = useState(() => (s ? keptKeys(s) : []));
  const refresh = () => setKeys(s ? keptKeys(s) : []);
  // Work is kept aside with a notice saying so (a share link, another tab): look again then.
  const notice = useApp((st) => st.notice);
  useEffect(refresh, [notice, s]);
  if (!s) return null;

  const open = async (key: string) => {
    let raw: string | null = null;
    try {
      raw = s.getItem(key);
    } catch {
      /* said below */
    }
    const r = raw === null ? null : readSaved(raw);
    if (!r?.ok) {
      store.getState().notify({ kind: 'error', text: `"${key}" cannot be opened (${r ? r.why : 'it is gone'}); its text is still in localStorage for copying by hand.` });
      return;
    }
    if (!(await editingFor(store).then(() => true, () => false))) return; // editingFor said why
    if (store.getState().openScenario(r.state.yaml, `the kept work “${describe(key)}”`)) store.getState().notify({ kind: 'info', text: `Opened the work kept under "${key}" (it stays kept until you delete it). Undo (Ctrl+Z) brings back what you had.` });
  };

  const remove = (key: string) => {
    try {
      s.removeItem(key);
    } catch {
      /* nothing to do */
    }
    refresh();
  };

  return (
    <details className="dropdown" onToggle={(e) => (e.target as HTMLDetailsElement).open && refresh()} hidden={keys.length === 0}>
      <summary className="button" title="Work kept aside in this browser: a save that did not load, what a share link or another tab replaced" aria-label={`Kept work (${keys.length})`} data-testid="kept-menu">
        Kept ({keys.length})
      </summary>
      <ul className="dropdown__list">
        {keys.map((key) => (
          <li key={key} className="kept">
            <button type="button" className="dropdown__item" onClick={(ev) => {
              (ev.currentTarget.closest('details') as HTMLDetailsElement).open = false;
              void open(key);
            }} title={`Open the work kept under "${key}"`} data-testid="kept-open">
              <strong>{describe(key)}</strong>
              <span className="muted mono">{key}</span>
            </button>
            <button type="button" className="button button--small" onClick={() => remove(key)} aria-label={`Delete ${describe(key)}`} data-testid="kept-delete">
              Delete
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
