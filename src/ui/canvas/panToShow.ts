/**
 * The pan along one axis (vertical here; the same for x) that shows a box's far edge on a canvas of `height` px at the current
 * zoom, without hiding its top: unchanged when the box is already in view. Pure (tested).
 */
export function panToShow(box: { top: number; bottom: number }, vp: { y: number; zoom: number }, height: number, margin = 16): number {
  const top = box.top * vp.zoom + vp.y;
  const bottom = box.bottom * vp.zoom + vp.y;
  if (bottom <= height - margin) return vp.y;
  const up = bottom - (height - margin);
  // Never pan the box's top off the canvas.
  const most = Math.max(0, top - margin);
  return vp.y - Math.min(up, most);
}
