/**
 * Geometry of the cluster drawing, in flow coordinates (pixels at zoom 1). One place for the
 * numbers so toFlow stays about *what* is drawn and the CSS about *how* it looks.
 *
 * A Kubernetes node box, top to bottom: header (name, role, IP, PodCIDR), the node's own
 * devices in a row, right-aligned so eth0 sits in the top-right corner under the switch (its
 * edge to the switch then clears the header text), then one row ("slot") per pod-network
 * pod (its host-side veth end, then the pod), then the hostNetwork pods.
 */
export const SEGMENT_H = 64;
/** Vertical gap between the node-network switch and the node boxes (room for the eth0 edges). */
export const SEGMENT_GAP = 72;
export const NODE_GAP_X = 48;
export const NODE_GAP_Y = 56;
/** Node boxes per row before wrapping. */
export const NODES_PER_ROW = 4;

export const NODE_PAD = 14;
export const NODE_HEADER_H = 84;
/** Room for the header text plus the eth0 column at the right, and for a slot. */
export const MIN_NODE_INNER_W = 420;

export const DEV_W = 156;
export const DEV_H = 44;
export const DEV_GAP = 10;
/** Devices per row; more wrap to a second row (weave has six). */
export const DEVS_PER_ROW = 3;

/**
 * A pod slot is one row: the host end of the pod's veth on the left, the pod on its right.
 * Slots stack in one column; the host ends' edges to their bridge run up a shared "bus" in
 * the left margin, so no edge crosses a pod.
 */
export const BUS_W = 22;
export const HOST_END_W = 156;
export const HOST_END_H = 32;
export const VETH_GAP = 30;
export const POD_W = 206;
export const POD_H = 50;
export const SLOT_H = POD_H;
export const SLOT_GAP_Y = 10;
/** Space between the device row and the first slot (the bus turns here). */
export const DEV_TO_SLOTS = 34;

export const HOSTPOD_W = 204;
export const HOSTPOD_H = 30;
export const HOSTPOD_GAP = 8;
export const HOSTPODS_TITLE_H = 22;
export const HOSTPODS_PER_ROW = 2;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface NodeBoxLayout {
  width: number;
  height: number;
  devices: Rect[];
  /** Per pod-network pod: its host end and the pod, relative to the node box. */
  slots: { hostEnd: Rect; pod: Rect }[];
  hostPods: Rect[];
  /** y of the "host network" caption, when there are hostNetwork pods. */
  hostPodsTitleY?: number;
}

/** Lay out one node box holding `devices` devices, `pods` pod-network pods and `hostPods` hostNetwork pods. */
export function nodeBoxLayout(devices: number, pods: number, hostPods: number): NodeBoxLayout {
  const hostCols = Math.max(1, Math.min(HOSTPODS_PER_ROW, hostPods));
  const devCols = Math.min(DEVS_PER_ROW, devices);
  const devRows = Math.ceil(devices / DEVS_PER_ROW);
  const innerW = Math.max(
    devCols * DEV_W + Math.max(0, devCols - 1) * DEV_GAP,
    BUS_W + HOST_END_W + VETH_GAP + POD_W,
    hostCols * HOSTPOD_W + (hostCols - 1) * HOSTPOD_GAP,
    MIN_NODE_INNER_W,
  );
  const width = innerW + 2 * NODE_PAD;

  // Filled from the top-right corner backwards, so the last device (eth0) sits under the switch.
  const devY = NODE_HEADER_H;
  const deviceRects = Array.from({ length: devices }, (_, i) => {
    const k = devices - 1 - i;
    const fromRight = k % DEVS_PER_ROW;
    const row = Math.floor(k / DEVS_PER_ROW);
    return { x: width - NODE_PAD - DEV_W - fromRight * (DEV_W + DEV_GAP), y: devY + row * (DEV_H + DEV_GAP), width: DEV_W, height: DEV_H };
  });

  let y = devY + devRows * DEV_H + Math.max(0, devRows - 1) * DEV_GAP + DEV_TO_SLOTS;
  const slots: NodeBoxLayout['slots'] = [];
  const hostEndX = NODE_PAD + BUS_W;
  for (let i = 0; i < pods; i++) {
    slots.push({
      hostEnd: { x: hostEndX, y: y + (SLOT_H - HOST_END_H) / 2, width: HOST_END_W, height: HOST_END_H },
      pod: { x: hostEndX + HOST_END_W + VETH_GAP, y, width: POD_W, height: POD_H },
    });
    y += SLOT_H + SLOT_GAP_Y;
  }
  if (pods > 0) y += SLOT_GAP_Y;

  let hostPodsTitleY: number | undefined;
  const hostPodRects: Rect[] = [];
  if (hostPods > 0) {
    hostPodsTitleY = y;
    y += HOSTPODS_TITLE_H;
    for (let i = 0; i < hostPods; i++) {
      const col = i % HOSTPODS_PER_ROW;
      const row = Math.floor(i / HOSTPODS_PER_ROW);
      hostPodRects.push({ x: NODE_PAD + col * (HOSTPOD_W + HOSTPOD_GAP), y: y + row * (HOSTPOD_H + HOSTPOD_GAP), width: HOSTPOD_W, height: HOSTPOD_H });
    }
    y += Math.ceil(hostPods / HOSTPODS_PER_ROW) * (HOSTPOD_H + HOSTPOD_GAP);
  }
  const height = y + NODE_PAD;
  return { width, height, devices: deviceRects, slots, hostPods: hostPodRects, ...(hostPodsTitleY !== undefined ? { hostPodsTitleY } : {}) };
}
