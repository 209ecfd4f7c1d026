/**
 * Geometry of the cluster drawing, in flow coordinates (pixels at zoom 1). One place for the
 * numbers so toFlow stays about *what* is drawn and the CSS about *how* it looks.
 *
 * A Kubernetes node box, top to bottom: header (name, role, IP, PodCIDR), the node's own
 * devices in a row, right-aligned so eth0 sits in the top-right corner under the switch (its
 * edge to the switch then clears the header text), then one "slot" per
 * pod-network pod (its host-side veth end above the pod), then the hostNetwork pods.
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
/** Room for the header text plus the eth0 column at the right. */
export const MIN_NODE_INNER_W = 420;

export const DEV_W = 176;
export const DEV_H = 44;
export const DEV_GAP = 10;

/** A pod slot: host end on top, pod below. */
export const SLOT_W = 184;
export const SLOT_GAP_X = 12;
export const HOST_END_W = 150;
export const HOST_END_H = 34;
export const POD_W = 172;
export const POD_H = 52;
/** Space between the device row and the host ends (the veth → bridge edges run here). */
export const DEV_TO_SLOTS = 40;
/** Space between a host end and its pod (the veth edge). */
export const HOST_END_TO_POD = 24;
export const SLOT_ROW_GAP = 18;
export const SLOT_H = HOST_END_H + HOST_END_TO_POD + POD_H;
/** Pod slots per row inside a node. */
export const SLOTS_PER_ROW = 3;

export const HOSTPOD_W = 172;
export const HOSTPOD_H = 30;
export const HOSTPOD_GAP = 8;
export const HOSTPODS_TITLE_H = 22;

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
  const slotCols = Math.max(1, Math.min(SLOTS_PER_ROW, pods));
  const hostCols = Math.max(1, Math.min(SLOTS_PER_ROW, hostPods));
  const innerW = Math.max(
    devices * DEV_W + Math.max(0, devices - 1) * DEV_GAP,
    slotCols * SLOT_W + (slotCols - 1) * SLOT_GAP_X,
    hostCols * HOSTPOD_W + (hostCols - 1) * HOSTPOD_GAP,
    MIN_NODE_INNER_W,
  );
  const width = innerW + 2 * NODE_PAD;

  const devY = NODE_HEADER_H;
  const rowW = devices * DEV_W + Math.max(0, devices - 1) * DEV_GAP;
  const devX = width - NODE_PAD - rowW;
  const deviceRects = Array.from({ length: devices }, (_, i) => ({ x: devX + i * (DEV_W + DEV_GAP), y: devY, width: DEV_W, height: DEV_H }));

  let y = devY + DEV_H + DEV_TO_SLOTS;
  const slots: NodeBoxLayout['slots'] = [];
  for (let i = 0; i < pods; i++) {
    const col = i % SLOTS_PER_ROW;
    const row = Math.floor(i / SLOTS_PER_ROW);
    const sx = NODE_PAD + col * (SLOT_W + SLOT_GAP_X);
    const sy = y + row * (SLOT_H + SLOT_ROW_GAP);
    slots.push({
      hostEnd: { x: sx + (SLOT_W - HOST_END_W) / 2, y: sy, width: HOST_END_W, height: HOST_END_H },
      pod: { x: sx + (SLOT_W - POD_W) / 2, y: sy + HOST_END_H + HOST_END_TO_POD, width: POD_W, height: POD_H },
    });
  }
  if (pods > 0) y += Math.ceil(pods / SLOTS_PER_ROW) * (SLOT_H + SLOT_ROW_GAP);

  let hostPodsTitleY: number | undefined;
  const hostPodRects: Rect[] = [];
  if (hostPods > 0) {
    hostPodsTitleY = y;
    y += HOSTPODS_TITLE_H;
    for (let i = 0; i < hostPods; i++) {
      const col = i % SLOTS_PER_ROW;
      const row = Math.floor(i / SLOTS_PER_ROW);
      hostPodRects.push({ x: NODE_PAD + col * (HOSTPOD_W + HOSTPOD_GAP), y: y + row * (HOSTPOD_H + HOSTPOD_GAP), width: HOSTPOD_W, height: HOSTPOD_H });
    }
    y += Math.ceil(hostPods / SLOTS_PER_ROW) * (HOSTPOD_H + HOSTPOD_GAP);
  }
  const height = y + NODE_PAD;
  return { width, height, devices: deviceRects, slots, hostPods: hostPodRects, ...(hostPodsTitleY !== undefined ? { hostPodsTitleY } : {}) };
}
