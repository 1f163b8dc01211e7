/**
 * What the server knows about each open document: its text (incremental sync), its static analysis
 * (cached per version), and the summaries of its last finished evaluation, which may be of an older
 * version while a newer one is being evaluated.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import {
  analyzeNote,
  findCitations,
  reanalyzeEdit,
  resultLookup,
  type Analysis,
  type AnalysisOptions,
  type CitationSummary,
  type PositionMapper,
  type Problem,
  type ResultSummary,
  type Span,
} from '../language/index.js';
import type { EvaluatedMessage, EvaluatedStatement } from './workerProtocol.js';
import { injectAnalysisFault } from './testHooks.js';

/** How the note of a document is read: a `.mathnote` file is one block, Markdown has fenced blocks. */
export function analysisOptionsFor(document: TextDocument, fenceNames: readonly string[]): Partial<AnalysisOptions> {
  const wholeFile = document.languageId === 'mathnote' || document.uri.endsWith('.mathnote');
  return { fenceNames, wholeFile };
}

/**
 * What publishing diagnostics needs of a version: its static problems, positions, and where the
 * statements are (to carry runtime problems over). A full analysis provides it, and so does the
 * edit shortcut without analysing the whole note.
 */
export interface StaticView {
  readonly text: string;
  readonly problems: readonly Problem[];
  readonly positions: PositionMapper;
  statementSpan(index: number): Span | undefined;
}

export class DocumentState {
  /** The last full analysis; it may be of an older version (see staticView). */
  private cached: { version: number; analysis: Analysis } | undefined;
  private quick: { version: number; view: StaticView } | undefined;
  /** The last finished evaluation (possibly of an older version). */
  evaluated: EvaluatedMessage | undefined;
  /** Diagnostics the server adds itself: the watchdog's limit, a crash of the core. */
  extraDiagnostics: { version: number; diagnostics: Diagnostic[] } | undefined;

  constructor(
    public document: TextDocument,
    private fenceNames: readonly string[],
  ) {}

  setFenceNames(fenceNames: readonly string[]): void {
    this.fenceNames = fenceNames;
    this.cached = undefined;
    this.quick = undefined;
  }

  get analysisOptions(): Partial<AnalysisOptions> {
    return analysisOptionsFor(this.document, this.fenceNames);
  }

  /** The static analysis of the current version (computed once per version). */
  get analysis(): Analysis {
    if (!this.cached || this.cached.version !== this.document.version) {
      // Inert unless the server runs with MATHNOTE_LSP_TEST_HOOKS=1 (see testHooks.ts).
      injectAnalysisFault(this.document.getText());
      this.cached = { version: this.document.version, analysis: analyzeNote(this.document.getText(), this.analysisOptions) };
      // A quick view is of an older version now and never read again, but its closures hold the
      // full analysis it was derived from.
      if (this.quick && this.quick.version !== this.document.version) this.quick = undefined;
    }
    return this.cached.analysis;
  }

  /**
   * The static problems of the current version. After an edit within one line of a block they come
   * from the last full analysis and a new resolution and check of the edited statements
   * (reanalyze.ts), which is exact and does not scale with the note; when that cannot be proven to
   * be enough, from a full analysis.
   */
  staticView(): StaticView {
    const version = this.document.version;
    if (this.cached?.version === version) return viewOf(this.cached.analysis);
    if (this.quick?.version === version) return this.quick.view;
    if (this.cached) {
      // Inert unless the server runs with MATHNOTE_LSP_TEST_HOOKS=1 (see testHooks.ts).
      injectAnalysisFault(this.document.getText());
      const view = reanalyzeEdit(this.cached.analysis, this.document.getText());
      if (view) {
        this.quick = { version, view };
        return view;
      }
    }
    return viewOf(this.analysis);
  }

  private lookup: { analysis: Analysis; evaluated: EvaluatedMessage | undefined; find: (statementIndex: number) => ResultSummary | undefined } | undefined;

  /**
   * The result summary of a statement of the current analysis, carried over from the last
   * evaluation. The lookup is built once per analysis and evaluation, so hovers stay cheap on long notes.
   */
  resultOf(): (statementIndex: number) => ResultSummary | undefined {
    const analysis = this.analysis;
    if (!this.lookup || this.lookup.analysis !== analysis || this.lookup.evaluated !== this.evaluated) {
      this.lookup = { analysis, evaluated: this.evaluated, find: resultLookup(analysis, this.evaluated?.summaries ?? []) };
    }
    return this.lookup.find;
  }

  /**
   * Cited values of the last evaluation, moved to the current version's code spans when the note
   * still cites the same expressions in the same order (an edit of the prose around them).
   */
  citations(): readonly CitationSummary[] {
    const evaluated = this.evaluated;
    if (!evaluated || evaluated.citations.length === 0) return [];
    if (evaluated.version === this.document.version) return evaluated.citations;
    const analysis = this.analysis;
    const now = findCitations(analysis.text, analysis.blocks.map((block) => block.fence));
    if (now.length !== evaluated.citations.length) return [];
    const moved: CitationSummary[] = [];
    for (let index = 0; index < now.length; index++) {
      const summary = evaluated.citations[index]!;
      if (analysis.text.slice(now[index]!.exprStart, now[index]!.exprEnd).trim() !== summary.expression) return [];
      moved.push({ ...summary, span: now[index]!.span });
    }
    return moved;
  }

  /**
   * Runtime problems of the last evaluation, moved to the current version: a problem is kept when
   * its statement still reads the same at the same index, shifted by how far the statement moved.
   */
  runtimeProblems(view: StaticView = viewOf(this.analysis)): Problem[] {
    const evaluated = this.evaluated;
    if (!evaluated) return [];
    if (evaluated.version === this.document.version) return [...evaluated.problems];
    const moved: Problem[] = [];
    for (const problem of evaluated.problems) {
      const index = statementContaining(evaluated.statements, problem.span.start);
      if (index < 0) continue;
      const before = evaluated.statements[index]!;
      const now = view.statementSpan(index);
      if (!now || view.text.slice(now.start, now.end) !== before.source) continue;
      const delta = now.start - before.start;
      // Related locations may lie in statements that moved differently; they return with the next evaluation.
      const { related: _related, ...rest } = problem;
      moved.push({ ...rest, span: { start: problem.span.start + delta, end: problem.span.end + delta } });
    }
    return moved;
  }
}

function viewOf(analysis: Analysis): StaticView {
  return {
    text: analysis.text,
    problems: analysis.problems,
    positions: analysis.positions,
    statementSpan: (index) => analysis.statements[index]?.span,
  };
}

function statementContaining(statements: readonly EvaluatedStatement[], offset: number): number {
  for (let index = 0; index < statements.length; index++) {
    const statement = statements[index]!;
    if (statement.start <= offset && offset <= statement.end) return index;
  }
  return -1;
}
