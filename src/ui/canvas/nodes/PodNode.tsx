import { memo, useContext, type DragEvent, type KeyboardEvent } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { FlowNode, PodData } from '../../toFlow';
import { flowIds } from '../../toFlow';
import { DRAG_MIME, FlashContext, useCanvasActions, type DragPayload } from '../canvasContext';
import { useApp } from '../../StoreContext';
import { policyMarkText, usePolicyMark } from '../policyMarks';
import { PolicyBadge } from './PolicyBadge';

/**
 * A pod: name, IP and labels; hostNetwork and system pods are drawn quieter. A pod on the pod
 * network can be dragged to another node, or selected and moved with the M key. After a
 * reschedule its old and new IP show for a moment (pod IPs are not stable).
 */
export const PodNode = memo(function PodNode({ data }: NodeProps<FlowNode>) {
  const d = data as PodData;
  const key = `${d.namespace}/${d.name}`;
  const flash = useContext(FlashContext).get(flowIds.pod(d.namespace, d.name));
  const selected = useApp((s) => s.selection === key);
  const { select, startMove } = useCanvasActions();
  const policy = usePolicyMark(key);
  const cni = useApp((s) => s.cluster?.config.cni ?? '');
  const cls = ['flow-pod', d.system && 'flow-pod--system', d.hostNetwork && 'flow-pod--hostnet', d.status && 'flow-pod--stuck', selected && 'is-selected', flash && 'is-flashing', d.movable && 'is-movable']
    .filter(Boolean)
    .join(' ');

  const onDragStart = (e: DragEvent) => {
    const payload: DragPayload = { kind: 'pod', key };
    e.dataTransfer.setData(DRAG_MIME, JSON.stringify(payload));
    e.dataTransfer.effectAllowed = 'move';
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      select(key);
    } else if ((e.key === 'm' || e.key === 'M') && d.movable) {
      e.preventDefault();
      select(key);
      startMove(key);
    }
  };
  const where = d.status ? `${d.status}, no IP${d.node ? `, on ${d.node}` : ', no node'}` : `${d.hostNetwork ? 'host network, node IP' : 'IP'} ${d.ip}, on ${d.node}`;
  const label = `Pod ${key}, ${where}${d.labels.length ? `, labels ${d.labels.join(' ')}` : ''}${policy ? `. ${policyMarkText(policy, cni).long}` : ''}${d.movable ? '. Press M to move it to another node' : ''}`;
  return (
    <div
      className={`${cls} nopan nodrag`}
      title={d.status ? `${key} ${d.status}: ${d.statusMessage ?? ''}` : `${key} ${d.ip}${d.movable ? ' — drag to another node, or press M' : ''}`}
      data-testid={`pod-${d.namespace}-${d.name}`}
      data-pod-ip={d.ip}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={label}
      draggable={d.movable}
      onDragStart={d.movable ? onDragStart : undefined}
      onClick={() => select(key)}
      onKeyDown={onKeyDown}
    >
      <div className="flow-pod__name">
        {d.system && <span className="flow-pod__sys" aria-hidden title="system pod">⚙</span>}
        {d.namespace !== 'default' && !d.system && <span className="muted">{d.namespace}/</span>}
        {d.name}
      </div>
      {d.status && (
        <div className="flow-pod__status" data-testid="pod-status">
          {d.status}
        </div>
      )}
      {!d.hostNetwork && !d.status && (
        <div className="flow-pod__ip mono" data-testid="pod-ip">
          {flash && flash.from ? (
            <span className="flow-pod__flash" role="status">
              <s>{flash.from}</s> → <strong>{flash.to}</strong>
            </span>
          ) : flash ? (
            <span className="flow-pod__flash" role="status">
              ✚ <strong>{flash.to}</strong>
            </span>
          ) : (
            d.ip
          )}
        </div>
      )}
      {!d.hostNetwork && d.labels.length > 0 && (
        <div className="flow-pod__labels">
          {d.labels.slice(0, 2).map((l) => (
            <span key={l} className="flow-pod__label mono">{l}</span>
          ))}
          {d.labels.length > 2 && <span className="muted">+{d.labels.length - 2}</span>}
        </div>
      )}
      {policy && <PolicyBadge mark={policy} cni={cni} />}
      {!d.hostNetwork && <Handle type="target" position={Position.Left} id="left" className="flow-handle" isConnectable={false} />}
      {!d.hostNetwork && <Handle type="target" position={Position.Top} id="top" className="flow-handle" isConnectable={false} />}
    </div>
  );
});
