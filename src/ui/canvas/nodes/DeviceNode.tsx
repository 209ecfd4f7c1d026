import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { DeviceData, FlowNode } from '../../toFlow';

/** A network device on a node: eth0, a tunnel, a bridge, or a pod's host-side veth end. */
export const DeviceNode = memo(function DeviceNode({ data }: NodeProps<FlowNode>) {
  const d = data as DeviceData;
  return (
    <div className={`flow-device flow-device--${d.role}`} title={`${d.name} (${d.linkKind}, mtu ${d.mtu}) ${d.detail}`} data-testid={`dev-${d.node}-${d.name}`} role="img" aria-label={`${d.role === 'host-end' ? 'veth host end' : d.role} ${d.name} on ${d.node}: ${d.detail || d.linkKind}, mtu ${d.mtu}`}>
      <div className="flow-device__name mono">{d.name}</div>
      {d.role !== 'host-end' && <div className="flow-device__detail mono">{d.detail}</div>}
      <Handle type="source" position={Position.Top} id="up" className="flow-handle" isConnectable={false} />
      <Handle type="target" position={Position.Bottom} id="down" className="flow-handle" isConnectable={false} />
      <Handle type="source" position={Position.Right} id="right" className="flow-handle" isConnectable={false} />
      <Handle type="target" position={Position.Left} id="left" className="flow-handle" isConnectable={false} />
      {d.role === 'host-end' && <Handle type="source" position={Position.Left} id="bus" className="flow-handle" isConnectable={false} />}
    </div>
  );
});
