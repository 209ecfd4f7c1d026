/** Custom node components, at module scope so React Flow never sees a new object. */
import type { NodeTypes } from '@xyflow/react';
import { DeviceNode } from './nodes/DeviceNode';
import { ExternalNode } from './nodes/ExternalNode';
import { KubeNode } from './nodes/KubeNode';
import { PendingNode } from './nodes/PendingNode';
import { PodNode } from './nodes/PodNode';
import { SegmentNode } from './nodes/SegmentNode';
import { ServiceNode } from './nodes/ServiceNode';

export const nodeTypes: NodeTypes = {
  segment: SegmentNode,
  k8sNode: KubeNode,
  device: DeviceNode,
  pod: PodNode,
  service: ServiceNode,
  external: ExternalNode,
  pending: PendingNode,
};
