/**
 * The cluster drawing: React Flow over nodes and edges derived from the engine's cluster
 * (toFlow), with the packet animation layered on top. Nothing here is stored: a new cluster
 * gives a new drawing.
 */
import { useEffect, useMemo } from 'react';
import { Background, Controls, ReactFlow, useReactFlow } from '@xyflow/react';
import { networkOf } from '../../engine';
import { useApp } from '../StoreContext';
import { toFlow, type Flow } from '../toFlow';
import { nodeTypes } from './nodeTypes';
import { PacketLayer } from './PacketLayer';

const EMPTY: Flow = { nodes: [], edges: [] };
const FIT = { padding: 0.06 };

export function ClusterCanvas() {
  const cluster = useApp((s) => s.cluster);
  const flow = useMemo(() => (cluster ? toFlow(cluster, networkOf(cluster)) : EMPTY), [cluster]);
  return (
    <div className="canvas" data-testid="canvas">
      <ReactFlow
        nodes={flow.nodes}
        edges={flow.edges}
        nodeTypes={nodeTypes}
        colorMode="system"
        fitView
        fitViewOptions={FIT}
        minZoom={0.05}
        maxZoom={2.5}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        edgesFocusable={false}
        proOptions={{ hideAttribution: false }}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
        <FitOnNewCluster flow={flow} />
        <PacketLayer />
      </ReactFlow>
    </div>
  );
}

/** Re-fit the view when the drawing is replaced (a scenario was applied). */
function FitOnNewCluster({ flow }: { flow: Flow }) {
  const { fitView } = useReactFlow();
  useEffect(() => {
    void fitView(FIT);
  }, [flow, fitView]);
  return null;
}
