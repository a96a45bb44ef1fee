/** Where a pannable, zoomable picture is: shifted by (x, y) pixels, then scaled about its top left. */
export interface View {
  x: number;
  y: number;
  scale: number;
}

export const FIT: View = { x: 0, y: 0, scale: 1 };
export const MIN_SCALE = 0.2;
export const MAX_SCALE = 4;

/**
 * Zooms by `factor` keeping the point under (px, py) (relative to the viewport) where it is.
 *
 * @example
 * zoomAt({ x: 0, y: 0, scale: 1 }, 2, 100, 50) // { x: -100, y: -50, scale: 2 }
 */
export function zoomAt(view: View, factor: number, px: number, py: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const k = scale / view.scale;
  return { scale, x: px - (px - view.x) * k, y: py - (py - view.y) * k };
}
