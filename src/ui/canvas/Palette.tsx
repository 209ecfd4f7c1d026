/**
 * The palette: pods to drag onto a node. Each item is also a button: Enter opens the node
 * chooser, the keyboard way to place it. Open or closed is the canvas's to say (it leaves room
 * for the palette when framing the cluster).
 */
import type { DragEvent } from 'react';
import { DRAG_MIME, type DragPayload } from './canvasContext';
import { PALETTE } from './palette';

export function Palette({ open, onToggle, onKeyboardAdd }: { open: boolean; onToggle: () => void; onKeyboardAdd: (item: string) => void }) {
  const onDragStart = (e: DragEvent, item: string) => {
    const payload: DragPayload = { kind: 'palette', item };
    e.dataTransfer.setData(DRAG_MIME, JSON.stringify(payload));
    e.dataTransfer.effectAllowed = 'copyMove';
  };
  return (
    <section className={`canvas-palette${open ? '' : ' is-closed'}`} aria-label="Pod palette" data-testid="palette">
      <button type="button" className="canvas-palette__toggle" onClick={onToggle} aria-expanded={open} data-testid="palette-toggle">
        {open ? '▾' : '▸'} New pod
      </button>
      {open && (
        <>
          <p className="canvas-palette__hint muted">Drag onto a node, or press Enter to choose one.</p>
          <ul className="canvas-palette__list">
            {PALETTE.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="canvas-palette__item"
                  draggable
                  onDragStart={(e) => onDragStart(e, p.id)}
                  onClick={() => onKeyboardAdd(p.id)}
                  data-testid={`palette-${p.id}`}
                  aria-label={`New ${p.title} pod (${p.image}): ${p.hint}. Drag onto a node, or press Enter to choose the node.`}
                  title={`${p.image} — ${p.hint}`}
                >
                  <span className="canvas-palette__name">{p.title}</span>
                  <span className="canvas-palette__image mono muted">{p.image}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
