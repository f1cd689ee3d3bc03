import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent, type ReactNode, type WheelEvent } from 'react';
import { PlanViewportContext, type PlanViewportAnchor } from './viewport-context';

export interface PlanViewportProps {
  children: ReactNode;
  /** CSS height of the visible area. */
  height: number | string;
  /** Accessible name of the area, e.g. "Plan drawing". */
  label: string;
}

interface View {
  scale: number;
  x: number;
  y: number;
}

const MIN_SCALE = 0.1;
const MAX_SCALE = 2;
const START: View = { scale: 1, x: 12, y: 12 };

const clamp = (scale: number): number => Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));

/**
 * Pan and zoom around a plan drawing: drag the background to move, the wheel to zoom towards the
 * pointer, buttons to zoom, fit the whole tree or go back to 100 %. The drawing is moved with one
 * CSS transform, so a large tree is never laid out again while it moves.
 */
export function PlanViewport({ children, height, label }: PlanViewportProps) {
  const frame = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const drag = useRef<{ pointerId: number; startX: number; startY: number; from: View } | null>(null);
  const [view, setView] = useState<View>(START);
  const remembered = useRef<{ nodeId: string; x: number; y: number } | null>(null);

  const anchor = useMemo((): PlanViewportAnchor => {
    const find = (nodeId: string): HTMLElement | undefined =>
      [...(content.current?.querySelectorAll<HTMLElement>('[data-node-id]') ?? [])].find((el) => el.dataset['nodeId'] === nodeId);
    return {
      remember(nodeId) {
        const box = find(nodeId)?.getBoundingClientRect();
        remembered.current = box ? { nodeId, x: box.left, y: box.top } : null;
      },
      restore() {
        const before = remembered.current;
        remembered.current = null;
        const box = before ? find(before.nodeId)?.getBoundingClientRect() : undefined;
        if (!before || !box || (box.left === before.x && box.top === before.y)) return;
        setView((v) => ({ ...v, x: v.x + before.x - box.left, y: v.y + before.y - box.top }));
      },
    };
  }, []);

  const zoomAt = useCallback((factor: number, atX: number, atY: number) => {
    setView((v) => {
      const scale = clamp(v.scale * factor);
      const ratio = scale / v.scale;
      return { scale, x: atX - (atX - v.x) * ratio, y: atY - (atY - v.y) * ratio };
    });
  }, []);

  const fit = useCallback(() => {
    const outer = frame.current;
    const inner = content.current;
    if (!outer || !inner || inner.offsetWidth === 0 || inner.offsetHeight === 0) return;
    const scale = clamp(Math.min(1, (outer.clientWidth - 24) / inner.offsetWidth, (outer.clientHeight - 24) / inner.offsetHeight));
    setView({ scale, x: Math.max(12, (outer.clientWidth - inner.offsetWidth * scale) / 2), y: 12 });
  }, []);

  // The wheel zooms instead of scrolling the page: React's wheel listener is passive, so it is added here.
  useEffect(() => {
    const outer = frame.current;
    if (!outer) return undefined;
    const onWheel = (event: globalThis.WheelEvent): void => event.preventDefault();
    outer.addEventListener('wheel', onWheel, { passive: false });
    return () => outer.removeEventListener('wheel', onWheel);
  }, []);

  const onWheel = (event: WheelEvent<HTMLDivElement>): void => {
    const box = frame.current?.getBoundingClientRect();
    if (!box) return;
    zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - box.left, event.clientY - box.top);
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    // Nodes and buttons keep their clicks; only the background drags.
    if ((event.target as HTMLElement).closest('[role="treeitem"], button')) return;
    drag.current = { pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, from: view };
    event.currentTarget.setPointerCapture?.(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const d = drag.current;
    if (!d || d.pointerId !== event.pointerId) return;
    setView({ ...d.from, x: d.from.x + event.clientX - d.startX, y: d.from.y + event.clientY - d.startY });
  };
  const endDrag = (): void => {
    drag.current = null;
  };

  const centre = (): [number, number] => [(frame.current?.clientWidth ?? 0) / 2, (frame.current?.clientHeight ?? 0) / 2];
  const buttonStyle = { font: 'inherit', fontSize: 12, minWidth: 26, height: 24, padding: '0 6px', borderRadius: 4, cursor: 'pointer', border: '1px solid var(--mantine-color-default-border)', background: 'var(--mantine-color-default)', color: 'var(--mantine-color-text)' };

  return (
    <div
      ref={frame}
      role="region"
      aria-label={label}
      data-scale={view.scale.toFixed(3)}
      onWheel={onWheel}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      style={{ position: 'relative', height, overflow: 'hidden', cursor: drag.current ? 'grabbing' : 'grab', border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, background: 'var(--mantine-color-dark-8, #1a1b1e)', touchAction: 'none' }}
    >
      <div ref={content} style={{ position: 'absolute', left: 0, top: 0, transformOrigin: '0 0', transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}>
        <PlanViewportContext.Provider value={anchor}>{children}</PlanViewportContext.Provider>
      </div>
      <div style={{ position: 'absolute', right: 8, top: 8, display: 'flex', gap: 4, zIndex: 2 }}>
        <button type="button" aria-label="Zoom in" style={buttonStyle} onClick={() => zoomAt(1.25, ...centre())}>
          +
        </button>
        <button type="button" aria-label="Zoom out" style={buttonStyle} onClick={() => zoomAt(1 / 1.25, ...centre())}>
          −
        </button>
        <button type="button" aria-label="Fit the plan" style={buttonStyle} onClick={fit}>
          Fit
        </button>
        <button type="button" aria-label="Actual size" style={buttonStyle} onClick={() => setView(START)}>
          {Math.round(view.scale * 100)} %
        </button>
      </div>
    </div>
  );
}
