/**
 * The Mathnote language service: the one public entry of the core. The language server, the command
 * line and the preview reach the core only through what this module exports.
 *
 * Analysis (blocks, syntax, bindings, static shapes) is fast and runs on every keystroke;
 * evaluation is slower and runs off the editor's thread, under a time budget, cancellable.
 */
import type { Analysis, AnalysisOptions, BlockInfo, Evaluation, EvaluationOptions } from './analysis.js';
import { builtinNameSet } from './eval/builtins/index.js';
import { evaluateProgram } from './eval/evaluator.js';
import { findBlocks } from './markdown/blocks.js';
import { LineIndex } from './markdown/lineIndex.js';
import type { Problem } from './problem.js';
import { resolve } from './resolve/resolver.js';
import { checkShapes } from './shapes/checker.js';
import { parseBlockCached } from './syntax/blockCache.js';

export type * from './analysis.js';
export type * from './problem.js';
export type * from './syntax/ast.js';
export type * from './eval/value.js';
export type * from './eval/builtin.js';
export type * from './resolve/types.js';
export type * from './shapes/types.js';
export { formatDim } from './shapes/types.js';
export { builtinRegistry, builtinNames } from './eval/builtins/index.js';
export { findBlocks, findCitations } from './markdown/blocks.js';
export { LineIndex } from './markdown/lineIndex.js';
export { parseBlock, parseExpressionAt } from './syntax/parser.js';
export { printExpr, printStatement } from './syntax/print.js';
export { exprToLatex, statementToLatex } from './print/latex.js';
export { nameToLatex } from './print/names.js';
export { valueToText, valueToLatex, valueToJson, shapeOf, type JsonValue } from './print/value.js';
export { describeProblem, hasMessage } from './features/messages.js';
export { allProblems, problemsToDiagnostics, spanToRange, describeRelated } from './features/diagnostics.js';
// Editor features (language server engineer).
export { summarizeEvaluation, resultLookup, valueToMarkdown, describeStaticType, type ResultSummary, type NamedResult } from './features/results.js';
export { citationHoverAt, hoverAt, subexpressionAt, subexpressionMarkdown, builtinDocumentation, type HoverContext, type SubexpressionValue } from './features/hover.js';
export { inlayHints, type InlayHintOptions } from './features/inlayHints.js';
export { completionsAt, bindingsInScope, COMPLETION_TRIGGER_CHARACTERS } from './features/completion.js';
export { LATEX_SYMBOLS, latexCandidates, latexPrefixBefore, type LatexSymbol } from './features/latexSymbols.js';
export { signatureHelpAt, SIGNATURE_TRIGGER_CHARACTERS } from './features/signatureHelp.js';
export { definitionAt, documentHighlightsAt, referencesAt, prepareRenameAt, renameAt, type PrepareRenameResult } from './features/navigation.js';
export { documentSymbols } from './features/symbols.js';
export { foldingRanges } from './features/folding.js';
export { semanticTokens, collectSemanticTokens, SEMANTIC_TOKENS_LEGEND } from './features/semanticTokens.js';
export { codeActionsFor } from './features/codeActions.js';
export { carryEvaluation, evaluateIncrementally, MAX_INCREMENTAL_GENERATIONS, programKey, type IncrementalEvaluation } from './features/incremental.js';
export { nodeAt, nameAt, statementIndexAt, statementIndexOnLine, type NodeAtOffset, type NameAtOffset } from './features/locate.js';
export { evalReport, type EvalReport, type ReportStatement, type ReportDiagnostic, type ReportOptions } from './features/report.js';
export { evaluateCitations, summarizeCitations, type CitationEngine, type CitationResult, type CitationSummary } from './features/citations.js';
export { buildPreviewModel, contentHash, PREVIEW_MODEL_VERSION } from './features/preview.js';
export { reanalyzeEdit, type EditAnalysis } from './reanalyze.js';
export type * from './features/preview.js';

/** Defaults of the static analysis: ```mathnote fences in a Markdown note. */
export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = { fenceNames: ['mathnote'], wholeFile: false };

/** Defaults of evaluation (LANGUAGE.md and DESIGN.md budgets). */
export const DEFAULT_EVALUATION_OPTIONS: EvaluationOptions = {
  precision: 6,
  maxElements: 10_000_000,
  timeBudgetMs: 2000,
  maxRecursionDepth: 200,
};

/**
 * Analyses a note without evaluating it: finds its blocks, parses them, resolves every name and
 * infers every shape. Never throws on any text; problems describe what is wrong.
 */
export function analyzeNote(text: string, options: Partial<AnalysisOptions> = {}): Analysis {
  const settings: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, ...options };
  const positions = new LineIndex(text);
  const problems: Problem[] = [];
  const blocks: BlockInfo[] = [];
  for (const fence of findBlocks(text, settings)) {
    // Blocks that read the same as in an earlier analysis are not parsed again.
    const parsed = parseBlockCached(text, fence.contentStart, fence.contentEnd, positions.positionAt(fence.contentStart).line);
    blocks.push({ fence, ast: parsed.value });
    problems.push(...parsed.problems);
  }
  const statements = blocks.flatMap((block) => block.ast.statements);
  const resolved = resolve(statements, builtinNameSet(), text);
  problems.push(...resolved.problems);
  const checked = checkShapes(statements, resolved.value, text);
  problems.push(...checked.problems);
  problems.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return { text, positions, blocks, statements, resolution: resolved.value, types: checked.value, problems };
}

/**
 * Evaluates an analysed note, statement by statement in document order, within the time budget.
 * Never throws: failures are problems on their statements, and the rest of the note goes on.
 */
export function evaluateNote(analysis: Analysis, options: Partial<EvaluationOptions> = {}): Evaluation {
  const settings: EvaluationOptions = { ...DEFAULT_EVALUATION_OPTIONS, ...options };
  return evaluateProgram(analysis.statements, analysis.resolution, analysis.text, settings);
}
