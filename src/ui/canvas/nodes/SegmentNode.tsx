import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { FlowNode, SegmentData } from '../../toFlow';

/** The node network: one L2 segment every node's eth0 plugs into. */
export const SegmentNode = memo(function SegmentNode({ data }: NodeProps<FlowNode>) {
  const d = data as SegmentData;
  return (
    <div className="flow-segment" data-testid="segment" role="group" aria-label={`${d.fabric === 'vpc' ? `${d.network ?? 'VPC'} subnet` : 'Node network'} ${d.cidr}, gateway ${d.gateway}`}>
      <span className="flow-segment__icon" aria-hidden>⇄</span>
      <span className="flow-segment__title">{d.fabric === 'vpc' ? `${d.network ?? 'VPC'} subnet` : 'node network'}</span>
      <span className="mono">{d.cidr}</span>
      <span className="muted">gateway {d.gateway}</span>
      <Handle type="target" position={Position.Bottom} id="down" className="flow-handle" isConnectable={false} />
      <Handle type="target" position={Position.Top} id="top" className="flow-handle" isConnectable={false} />
    </div>
  );
});
