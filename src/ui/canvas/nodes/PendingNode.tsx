import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { FlowNode, PendingData } from '../../toFlow';

/** The tray of pods the scheduler could not place (Pending, no node); its pods are its children. */
export const PendingNode = memo(function PendingNode({ data }: NodeProps<FlowNode>) {
  const d = data as PendingData;
  return (
    <div className="flow-pending" data-testid="pending-tray" role="group" aria-label={`${d.count} Pending pod${d.count === 1 ? '' : 's'}: no node can take ${d.count === 1 ? 'it' : 'them'}`}>
      <span className="flow-pending__title">Pending</span>
      <span className="muted">
        {d.count} pod{d.count === 1 ? '' : 's'} not scheduled
      </span>
    </div>
  );
});
