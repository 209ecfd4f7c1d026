import { memo, useContext } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { FlowNode, KubeNodeData } from '../../toFlow';
import { flowIds } from '../../toFlow';
import { DropTargetContext, useCanvasActions } from '../canvasContext';
import { useApp } from '../../StoreContext';
import { setPrefs } from '../viewPrefs';

/**
 * A Kubernetes node: the box its devices and pods are drawn in. Zoomed out it shows only its
 * name, address and pod count; zoomed in, its PodCIDR and, when the CNI hands out pod IPs from
 * elsewhere (Calico blocks, Cilium podCIDRs), that range too, marked as differing. Folded
 * system pods are counted on a line that shows them; zoomed out, the box says to zoom in (and
 * keeps to its header when it still draws the pods of the current trace).
 */
export const KubeNode = memo(function KubeNode({ data }: NodeProps<FlowNode>) {
  const d = data as KubeNodeData;
  const dropping = useContext(DropTargetContext) === flowIds.node(d.name);
  const selected = useApp((s) => s.selection === `node/${d.name}`);
  const { removeNode, select } = useCanvasActions();
  const cls = ['flow-k8snode', `flow-k8snode--${d.role}`, `flow-k8snode--${d.level}`, dropping && 'is-drop-target', selected && 'is-selected'].filter(Boolean).join(' ');
  const pods = `${d.podCount} pod${d.podCount === 1 ? '' : 's'}`;
  const label = `Node ${d.name}, ${d.role}, IP ${d.ip}, PodCIDR ${d.podCIDR}${d.podRange ? `, ${d.podRange.label} ${d.podRange.cidrs}` : ''}, ${pods}`;
  return (
    <div className={cls} data-testid={`k8snode-${d.name}`} role="group" aria-label={label} data-drop-node={d.name}>
      <Handle type="source" position={Position.Top} id="up" className="flow-handle" isConnectable={false} />
      {dropping && <div className="flow-k8snode__drop" aria-hidden>⤓ drop to schedule on {d.name}</div>}
      {d.level === 'overview' && d.keepsPods ? (
        <div className="flow-k8snode__overview flow-k8snode__overview--compact">
          <span className="flow-k8snode__bigname">{d.name}</span>
          <span className="flow-k8snode__count" data-testid={`podcount-${d.name}`}>
            <strong>{d.podCount}</strong> pods
          </span>
        </div>
      ) : d.level === 'overview' ? (
        <div className="flow-k8snode__overview">
          <div className="flow-k8snode__bigname">{d.name}</div>
          <div className="flow-k8snode__bigfacts">
            <span className="mono">{d.ip}</span>
            <span className="mono">{d.podRange ? d.podRange.cidrs : d.podCIDR}</span>
          </div>
          <div className="flow-k8snode__count" data-testid={`podcount-${d.name}`}>
            <strong>{d.podCount}</strong> pods{d.systemPodCount ? <span className="muted"> · {d.systemPodCount} system</span> : null}
          </div>
          <div className="flow-k8snode__zoomhint">zoom in to see them</div>
        </div>
      ) : (
        <header className="flow-k8snode__header">
          <div className="flow-k8snode__title">
            <button type="button" className="flow-k8snode__name nopan nodrag" onClick={() => select(`node/${d.name}`)} aria-pressed={selected} title="Select node">
              {d.name}
            </button>
            <span className="badge">{d.role}</span>
            <button type="button" className="flow-k8snode__remove nopan nodrag" onClick={() => removeNode(d.name)} aria-label={`Remove node ${d.name}`} title={`Remove node ${d.name} (kubectl delete node)`} data-testid={`remove-node-${d.name}`}>
              ✕
            </button>
          </div>
          <div className="flow-k8snode__facts">
            <span className="muted">IP</span>
            <span className="mono">{d.ip}</span>
            <span className="muted">kube-proxy</span>
            <span className="mono">{d.kubeProxy}</span>
            <span className="muted">PodCIDR</span>
            <span className="mono flow-k8snode__wide" data-testid={`podcidr-${d.name}`}>{d.podCIDR}</span>
            {d.podRange && (
              <>
                <span className="muted flow-k8snode__range-label">{d.podRange.label}</span>
                <span className="mono flow-k8snode__range flow-k8snode__wide" data-testid={`podrange-${d.name}`} title="Pod IPs come from here, not from spec.podCIDR">
                  {d.podRange.cidrs} <span aria-hidden>≠ PodCIDR</span>
                  <span className="sr-only">differs from the PodCIDR</span>
                </span>
              </>
            )}
          </div>
        </header>
      )}
      {d.level === 'detail' && d.foldedSystem && (
        <button
          type="button"
          className="flow-k8snode__folded nopan nodrag"
          style={{ top: d.foldedSystem.y }}
          onClick={() => setPrefs({ showSystem: true })}
          title="Show the system pods (kube-system and the CNI's) on every node"
          data-testid={`folded-${d.name}`}
        >
          ⚙ {d.foldedSystem.count} system pod{d.foldedSystem.count === 1 ? '' : 's'} folded — show
        </button>
      )}
      {d.level === 'detail' && d.hostPodsTitleY !== undefined && (
        <div className="flow-k8snode__caption" style={{ top: d.hostPodsTitleY }}>
          host network
        </div>
      )}
    </div>
  );
});
