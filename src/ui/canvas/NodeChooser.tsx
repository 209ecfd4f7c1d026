/**
 * The keyboard way to place a pod: a small dialog listing the nodes (with their pod ranges),
 * arrow keys to pick, Enter to choose, Escape to cancel.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { Cluster } from '../../engine/model/cluster';
import { PALETTE } from './palette';

export type ChooserRequest = { mode: 'move'; podKey: string } | { mode: 'add'; item: string };

export function NodeChooser({ request, cluster, onChoose, onClose }: { request: ChooserRequest; cluster: Cluster; onChoose: (node: string) => void; onClose: () => void }) {
  const listRef = useRef<HTMLDivElement>(null);
  const current = request.mode === 'move' ? cluster.pods.get(request.podKey)?.nodeName : undefined;
  const title = request.mode === 'move' ? `Move pod ${request.podKey} to…` : `New ${PALETTE.find((p) => p.id === request.item)?.title ?? request.item} pod on…`;

  useEffect(() => {
    listRef.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[(i + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length];
    next?.focus();
  };

  return (
    <div className="node-chooser__backdrop" onClick={onClose}>
      <div className="node-chooser" role="dialog" aria-modal="true" aria-labelledby="node-chooser-title" onKeyDown={onKeyDown} onClick={(e) => e.stopPropagation()} data-testid="node-chooser">
        <h2 id="node-chooser-title" className="node-chooser__title">{title}</h2>
        <div ref={listRef} className="node-chooser__list" role="list">
          {cluster.nodes.map((n) => {
            const here = n.meta.name === current;
            return (
              <button key={n.meta.name} type="button" role="listitem" className="node-chooser__node" disabled={here} onClick={() => onChoose(n.meta.name)} data-testid={`choose-${n.meta.name}`}>
                <strong>{n.meta.name}</strong>
                <span className="mono muted">{n.podCIDR?.toString() ?? n.blocks.map((b) => b.toString()).join(', ')}</span>
                {here && <span className="muted">(current)</span>}
              </button>
            );
          })}
        </div>
        <p className="node-chooser__hint muted">↑ ↓ to pick · Enter to choose · Esc to cancel</p>
      </div>
    </div>
  );
}
