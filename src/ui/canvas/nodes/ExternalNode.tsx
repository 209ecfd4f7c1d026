import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { ExternalData, FlowNode } from '../../toFlow';

/** The outside world: a client on the internet, or the cloud load balancer in front of the nodes. */
export const ExternalNode = memo(function ExternalNode({ data }: NodeProps<FlowNode>) {
  const d = data as ExternalData;
  return (
    <div className={`flow-external flow-external--${d.role}`} data-testid={`ext-${d.role}`} role="group" aria-label={`${d.title}: ${d.detail}`}>
      <span className="flow-external__icon" aria-hidden>{d.role === 'client' ? '🖥' : '☁'}</span>
      <div>
        <div className="flow-external__title">{d.title}</div>
        <div className="mono muted">{d.detail}</div>
      </div>
      <Handle type="source" position={Position.Right} id="right" className="flow-handle" isConnectable={false} />
      <Handle type="target" position={Position.Left} id="left" className="flow-handle" isConnectable={false} />
      <Handle type="source" position={Position.Bottom} id="down" className="flow-handle" isConnectable={false} />
    </div>
  );
});
