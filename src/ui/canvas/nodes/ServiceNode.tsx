import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { FlowNode, ServiceData } from '../../toFlow';
import { useApp } from '../../StoreContext';
import { useCanvasActions } from '../canvasContext';

/** A Service: a virtual box (kube-proxy's rules, not a device) with its ClusterIP, ports and endpoints. */
export const ServiceNode = memo(function ServiceNode({ data }: NodeProps<FlowNode>) {
  const d = data as ServiceData;
  const ready = `${d.ready}/${d.endpoints} endpoints ready`;
  const id = `svc/${d.namespace}/${d.name}`;
  const selected = useApp((s) => s.selection === id);
  const { select } = useCanvasActions();
  return (
    <div
      className={`flow-service nopan${d.ready === 0 ? ' flow-service--empty' : ''}${selected ? ' is-selected' : ''}`}
      tabIndex={0}
      aria-pressed={selected}
      onClick={() => select(id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select(id);
        }
      }}
      title="Select to show its endpoints"
      data-testid={`svc-${d.namespace}-${d.name}`}
      role="button"
      aria-label={`Service ${d.namespace}/${d.name}, ${d.type}, ClusterIP ${d.clusterIP}, ports ${d.ports}, ${ready}. Select to show its endpoints`}
    >
      <div className="flow-service__head">
        <span className="flow-service__icon" aria-hidden>◇</span>
        <span className="flow-service__name">{d.name}</span>
        <span className="badge">{d.type}</span>
      </div>
      <div className="mono flow-service__ip">{d.clusterIP}{d.loadBalancerIP ? ` · LB ${d.loadBalancerIP}` : ''}</div>
      <div className="flow-service__meta">
        <span className="mono">{d.ports}</span>
        <span className={d.ready === 0 ? 'flow-service__warn' : 'muted'}>{d.ready === 0 ? '⚠ no ready endpoints' : `${d.ready}/${d.endpoints} ready`}</span>
      </div>
      <Handle type="source" position={Position.Bottom} id="down" className="flow-handle" isConnectable={false} />
    </div>
  );
});
