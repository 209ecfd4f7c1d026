import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { FlowNode, PodData } from '../../toFlow';

/** A pod: name and IP; hostNetwork and system pods are drawn quieter. */
export const PodNode = memo(function PodNode({ data }: NodeProps<FlowNode>) {
  const d = data as PodData;
  const cls = ['flow-pod', d.system && 'flow-pod--system', d.hostNetwork && 'flow-pod--hostnet'].filter(Boolean).join(' ');
  return (
    <div className={cls} title={`${d.namespace}/${d.name} ${d.ip}`} data-testid={`pod-${d.namespace}-${d.name}`}>
      <div className="flow-pod__name">
        {d.namespace !== 'default' && !d.system && <span className="muted">{d.namespace}/</span>}
        {d.name}
      </div>
      {!d.hostNetwork && <div className="flow-pod__ip mono">{d.ip}</div>}
      {!d.hostNetwork && <Handle type="target" position={Position.Left} id="left" className="flow-handle" isConnectable={false} />}
    </div>
  );
});
