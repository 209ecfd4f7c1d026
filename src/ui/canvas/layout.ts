/**
 * Geometry of the cluster drawing, in flow coordinates (pixels at zoom 1). One place for the
 * numbers so toFlow stays about *what* is drawn and the CSS about *how* it looks.
 *
 * A Kubernetes node box, top to bottom: header (name, role, IP, PodCIDR, CNI ranges), the
 * node's own devices in a row, right-aligned so eth0 sits in the top-right corner under the
 * switch (its edge to the switch then clears the header text), then the pod-network pods in
 * columns of slots (host-side veth end, then the pod), then the hostNetwork pods.
 *
 * Stability: the node boxes sit on a grid whose cells are as wide as the widest box and rows
 * as tall as their tallest box; slot rows are reserved in steps of SLOT_QUANTUM, so adding or
 * moving a pod rarely moves any node box. Services and the outside world sit above the switch
 * (negative y), so their appearance never moves the nodes either.
 */
export const SEGMENT_H = 64;
/** Vertical gap between the node-network switch and the node boxes (room for the eth0 edges). */
export const SEGMENT_GAP = 72;
export const NODE_GAP_X = 32;
export const NODE_GAP_Y = 56;

/** Node boxes per grid row: 4 up to 16 nodes, then 8 (50 nodes make a 8×7 grid). */
export function nodesPerRow(nodeCount: number): number {
  return nodeCount <= 16 ? 4 : 8;
}

export const NODE_PAD = 14;
export const NODE_HEADER_H = 100;
/**
 * Room for the header text plus the eth0 column at the right, and for a slot. The sizes below
 * are held small enough that the demo's three nodes fit side by side on a laptop canvas at
 * READABLE_ZOOM (canvas/camera.ts), where pod names and IPs are drawn at 10 px or more.
 */
export const MIN_NODE_INNER_W = 380;

export const DEV_W = 120;
export const DEV_H = 44;
export const DEV_GAP = 10;
/** Devices per row; more wrap to a second row (weave has six). */
export const DEVS_PER_ROW = 3;

/**
 * A pod slot is one row: the host end of the pod's veth on the left, the pod on its right.
 * Slots stack in columns of SLOTS_PER_COLUMN; each column's host ends run up a shared "bus" in
 * the column's left margin to their bridge, so no edge crosses a pod.
 */
export const BUS_W = 16;
export const HOST_END_W = 112;
export const HOST_END_H = 32;
export const VETH_GAP = 20;
export const POD_W = 214;
export const POD_H = 60;
export const SLOT_H = POD_H;
export const SLOT_GAP_Y = 10;
export const SLOT_COL_GAP = 18;
export const SLOTS_PER_COLUMN = 8;
/** Slot rows are reserved in steps of this many, so one more pod rarely changes the box height. */
export const SLOT_QUANTUM = 4;
export const SLOT_COL_W = BUS_W + HOST_END_W + VETH_GAP + POD_W;
/** Space between the device row and the first slot (the bus turns here). */
export const DEV_TO_SLOTS = 34;

export const HOSTPOD_W = 180;
export const HOSTPOD_H = 30;
export const HOSTPOD_GAP = 8;
export const HOSTPODS_TITLE_H = 22;
export const HOSTPODS_PER_ROW = 2;
/** The line that says how many system pods are folded away (a button that shows them). */
export const FOLDED_H = 30;

/** Services and the outside world: one band above the switch. */
export const SERVICE_W = 214;
export const SERVICE_H = 78;
export const SERVICE_GAP = 24;
export const SERVICE_BAND_GAP = 80;
export const SERVICES_PER_ROW = 8;
export const EXTERNAL_W = 190;
export const EXTERNAL_H = 64;

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
  /** y of the line saying how many system pods are folded away, when some are. */
  foldedY?: number;
}

/** Slot rows reserved for `pods` pods: a multiple of SLOT_QUANTUM, at most SLOTS_PER_COLUMN. */
export function reservedSlotRows(pods: number): number {
  if (pods === 0) return 0;
  return Math.min(SLOTS_PER_COLUMN, Math.ceil(pods / SLOT_QUANTUM) * SLOT_QUANTUM);
}

/**
 * Lay out one node box holding `devices` devices, `pods` pod-network pods and `hostPods`
 * hostNetwork pods, and a line for folded system pods when `folded`.
 */
export function nodeBoxLayout(devices: number, pods: number, hostPods: number, folded = false): NodeBoxLayout {
  const hostCols = Math.max(1, Math.min(HOSTPODS_PER_ROW, hostPods));
  const devCols = Math.min(DEVS_PER_ROW, devices);
  const devRows = Math.ceil(devices / DEVS_PER_ROW);
  const slotCols = Math.max(1, Math.ceil(pods / SLOTS_PER_COLUMN));
  const innerW = Math.max(
    devCols * DEV_W + Math.max(0, devCols - 1) * DEV_GAP,
    slotCols * SLOT_COL_W + (slotCols - 1) * SLOT_COL_GAP,
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
  for (let i = 0; i < pods; i++) {
    const col = Math.floor(i / SLOTS_PER_COLUMN);
    const row = i % SLOTS_PER_COLUMN;
    const x0 = NODE_PAD + col * (SLOT_COL_W + SLOT_COL_GAP) + BUS_W;
    const sy = y + row * (SLOT_H + SLOT_GAP_Y);
    slots.push({
      hostEnd: { x: x0, y: sy + (SLOT_H - HOST_END_H) / 2, width: HOST_END_W, height: HOST_END_H },
      pod: { x: x0 + HOST_END_W + VETH_GAP, y: sy, width: POD_W, height: POD_H },
    });
  }
  const rows = reservedSlotRows(pods);
  y += rows * (SLOT_H + SLOT_GAP_Y);
  if (rows > 0) y += SLOT_GAP_Y;

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
  let foldedY: number | undefined;
  if (folded) {
    foldedY = y;
    y += FOLDED_H;
  }
  const height = y + NODE_PAD;
  return {
    width,
    height,
    devices: deviceRects,
    slots,
    hostPods: hostPodRects,
    ...(hostPodsTitleY !== undefined ? { hostPodsTitleY } : {}),
    ...(foldedY !== undefined ? { foldedY } : {}),
  };
}

/**
 * Node boxes on a grid under the switch: every cell as wide as the widest box, every row as
 * tall as its tallest box. A box keeps its cell while the nodes before it stay.
 */
export function placeBoxes(sizes: { width: number; height: number }[]): { x: number; y: number }[] {
  const perRow = nodesPerRow(sizes.length);
  const cellW = Math.max(0, ...sizes.map((s) => s.width)) + NODE_GAP_X;
  const out: { x: number; y: number }[] = [];
  let y = SEGMENT_H + SEGMENT_GAP;
  for (let start = 0; start < sizes.length; start += perRow) {
    const row = sizes.slice(start, start + perRow);
    row.forEach((_, i) => out.push({ x: i * cellW, y }));
    y += Math.max(...row.map((l) => l.height)) + NODE_GAP_Y;
  }
  return out;
}

/** Service boxes in one band above the switch, after the outside-world boxes when there are any. */
export function serviceBand(services: number, externals: number): { services: Rect[]; externals: Rect[] } {
  const y = -(SERVICE_BAND_GAP + SERVICE_H);
  const externals_ = Array.from({ length: externals }, (_, i) => ({ x: i * (EXTERNAL_W + SERVICE_GAP), y: y + (SERVICE_H - EXTERNAL_H) / 2, width: EXTERNAL_W, height: EXTERNAL_H }));
  const x0 = externals ? externals * (EXTERNAL_W + SERVICE_GAP) + SERVICE_GAP : 0;
  // Many Services wrap upwards, SERVICES_PER_ROW to a row, so the band never outgrows the node grid.
  const services_ = Array.from({ length: services }, (_, i) => ({
    x: x0 + (i % SERVICES_PER_ROW) * (SERVICE_W + SERVICE_GAP),
    y: y - Math.floor(i / SERVICES_PER_ROW) * (SERVICE_H + SERVICE_GAP),
    width: SERVICE_W,
    height: SERVICE_H,
  }));
  return { services: services_, externals: externals_ };
}

/** The Pending tray: pods the scheduler could not place, below the node grid. */
export const PENDING_TITLE_H = 34;
export const PENDING_PER_ROW = 4;

/**
 * The tray of Pending pods (no node), under the lowest node box (`below`: its bottom edge), pods
 * in rows of PENDING_PER_ROW; positions of the pods are relative to the tray.
 */
export function pendingTray(pods: number, below: number): { tray: Rect; pods: Rect[] } {
  const cols = Math.max(1, Math.min(PENDING_PER_ROW, pods));
  const rows = Math.ceil(pods / PENDING_PER_ROW);
  const width = Math.max(MIN_NODE_INNER_W, cols * POD_W + (cols - 1) * SLOT_COL_GAP) + 2 * NODE_PAD;
  const rects = Array.from({ length: pods }, (_, i) => ({
    x: NODE_PAD + (i % PENDING_PER_ROW) * (POD_W + SLOT_COL_GAP),
    y: PENDING_TITLE_H + Math.floor(i / PENDING_PER_ROW) * (POD_H + SLOT_GAP_Y),
    width: POD_W,
    height: POD_H,
  }));
  const height = PENDING_TITLE_H + rows * (POD_H + SLOT_GAP_Y) + NODE_PAD;
  return { tray: { x: 0, y: below + NODE_GAP_Y, width, height }, pods: rects };
}
