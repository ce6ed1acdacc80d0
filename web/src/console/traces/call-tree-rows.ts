import type { CallTree, TraceNode } from '../api/logs.ts';

/** One call of a trace as a row of the call tree's table, with its bar on the trace's timeline. */
export interface CallRow {
  node: TraceNode;
  /** 1 for a call no other call of the trace made. */
  depth: number;
  /** The call that made it, in words; undefined for a root. */
  calledBy: string | undefined;
  /** When it started after the trace's start, as a share of the trace's duration (0–1). */
  offset: number;
  /** Its latency as a share of the trace's duration (0–1, never past the timeline's end). */
  width: number;
}

export const callLabel = (node: TraceNode): string => `${node.api} ${node.method} ${node.path}`;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * The tree's calls in reading order (each call followed by the calls it made, in time order), placed
 * on one timeline: from the first call's start to the last one's end, so a root that waits for its
 * children spans it all and each child's bar shows its share of the root's time.
 */
export function callRows(tree: CallTree): CallRow[] {
  const starts: number[] = [];
  const collect = (node: TraceNode) => {
    starts.push(Date.parse(node.timestamp));
    node.children.forEach(collect);
  };
  tree.roots.forEach(collect);
  if (starts.length === 0) return [];
  const traceStart = Math.min(...starts);
  const longest = Math.max(...flatten(tree.roots).map((node) => node.latencyMs));
  const duration = tree.durationMs > 0 ? tree.durationMs : longest > 0 ? longest : 1;

  const rows: CallRow[] = [];
  const visit = (node: TraceNode, depth: number, parent: TraceNode | undefined) => {
    const offset = clamp((Date.parse(node.timestamp) - traceStart) / duration, 0, 1);
    rows.push({
      node,
      depth,
      calledBy: parent ? callLabel(parent) : undefined,
      offset,
      width: clamp(node.latencyMs / duration, 0, 1 - offset),
    });
    for (const child of node.children) visit(child, depth + 1, node);
  };
  for (const root of tree.roots) visit(root, 1, undefined);
  return rows;
}

function flatten(nodes: readonly TraceNode[]): TraceNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

/** The error reports providers sent against the trace's calls. */
export const reportCount = (tree: CallTree): number =>
  flatten(tree.roots).reduce((n, node) => n + node.errors.length, 0);
