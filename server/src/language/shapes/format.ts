/**
 * Static types as short text, for hovers, completion details and tests: `2×3`, `n×1`, `?×3`,
 * `bool`, `function of 2 arguments`, `(2×1, 2×2)` for a tuple.
 */
import type { StaticType } from './types.js';
import { formatDim } from './types.js';

/** A static type as the user reads it. */
export function formatStaticType(type: StaticType | undefined): string {
  if (!type) return '?';
  switch (type.kind) {
    case 'matrix':
      return `${formatDim(type.rows)}×${formatDim(type.cols)}${type.logical ? ' logical' : ''}`;
    case 'bool':
      return 'bool';
    case 'string':
      return 'string';
    case 'function':
      return type.arity === null ? 'function' : `function of ${type.arity} argument${type.arity === 1 ? '' : 's'}`;
    case 'tuple':
      return `(${type.items.map(formatStaticType).join(', ')})`;
    case 'plot':
      return 'plot';
    case 'unknown':
      return '?';
  }
}
