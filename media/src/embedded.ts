/**
 * The model a page made by `mathnote render` carries: the render model with default-valued fields
 * left out (server/src/render.ts `compactModel`). This puts them back, so the page draws exactly
 * what the preview draws from the full model.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Fills in the fields `compactModel` leaves out. Anything that is not shaped like a model is
 * returned as it is, for the page's message validation to reject.
 */
export function restoreEmbeddedModel(data: unknown): unknown {
  if (!isRecord(data) || !Array.isArray(data.segments)) return data;
  return {
    ...data,
    segments: data.segments.map((segment: unknown) => {
      if (!isRecord(segment)) return segment;
      if (segment.kind === 'prose') return { citations: [], ...segment };
      if (segment.kind !== 'block' || !Array.isArray(segment.statements)) return segment;
      return {
        problems: [],
        ...segment,
        statements: segment.statements.map((statement: unknown) =>
          isRecord(statement) ? { endLine: statement.line, comparison: false, broken: false, problems: [], ...statement } : statement,
        ),
      };
    }),
  };
}
