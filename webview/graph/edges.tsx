/** Edges: the tensor shape rides on every data edge (batch as N), errors turn the edge red with a badge; ties are dashed. */
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, getSmoothStepPath, type EdgeProps } from '@xyflow/react';
import { fmtShape } from './model';
import type { FlowEdgeT } from './toFlow';

export const ShapeEdge = memo(function ShapeEdge(props: EdgeProps<FlowEdgeT>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const errors = data?.errors ?? [];
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`nnb-edge${errors.length ? ' has-error' : ''}${selected ? ' selected' : ''}`} />
      <EdgeLabelRenderer>
        <div
          className={`nnb-edge-label${errors.length ? ' has-error' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          title={errors.length ? errors.join('\n') : 'tensor shape (N = batch)'}
          data-testid={`edge-label-${id}`}
        >
          {errors.length > 0 && <span className="nnb-badge nnb-badge-error">{errors.length}</span>}
          {fmtShape(data?.shape ?? null)}
        </div>
      </EdgeLabelRenderer>
    </>
  );
});

export const TieEdge = memo(function TieEdge(props: EdgeProps<FlowEdgeT>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, source } = props;
  const [path] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, offset: 36, borderRadius: 12 });
  return <path d={path} className="nnb-tie-edge" data-tie={source} fill="none" />;
});

export const edgeTypes = { shape: ShapeEdge, tie: TieEdge };
