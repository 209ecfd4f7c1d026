import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { FlowNode, KubeNodeData } from '../../toFlow';

/** A Kubernetes node: the box its devices and pods are drawn in. */
export const KubeNode = memo(function KubeNode({ data }: NodeProps<FlowNode>) {
  const d = data as KubeNodeData;
  return (
    <div className={`flow-k8snode flow-k8snode--${d.role}`} data-testid={`k8snode-${d.name}`}>
      <header className="flow-k8snode__header">
        <div className="flow-k8snode__title">
          <span className="flow-k8snode__name">{d.name}</span>
          <span className="badge">{d.role}</span>
        </div>
        <div className="flow-k8snode__facts">
          <span className="muted">IP</span>
          <span className="mono">{d.ip}</span>
          <span className="muted">PodCIDR</span>
          <span className="mono">{d.podCIDR}</span>
        </div>
      </header>
      {d.hostPodsTitleY !== undefined && (
        <div className="flow-k8snode__caption" style={{ top: d.hostPodsTitleY }}>
          host network
        </div>
      )}
    </div>
  );
});
