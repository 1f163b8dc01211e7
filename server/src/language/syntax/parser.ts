/**
 * Parsing Mathnote blocks: lexing, splitting into statements, and the one shared chevrotain
 * grammar (`grammar.ts`).
 *
 * Statements are one per line. A statement continues on the next line while a `(` or `[` is
 * open: inside the innermost `(` line breaks are ignored, inside the innermost matrix `[` a line
 * break separates rows. Each statement is parsed on its own, so a bad line yields exactly one
 * `syntax` problem and an ErrorStatement, and never disturbs the lines after it.
 */
import { createTokenInstance, tokenMatcher, type IRecognitionException, type IToken } from 'chevrotain';
import type { Problem, WithProblems } from '../problem.js';
import type { BlockAst, Expr, NameDecl, Span, Statement } from './ast.js';
import { MathnoteGrammar, MAX_NESTING, TooDeepError, type RawStatement } from './grammar.js';
import {
  Arrow, Comma, DoubleBar, Equals, LBracket, LParen, lex, Name, Pipe, PostfixOp, RBracket, RowBreak, RParen, Semicolon,
  SubscriptDigit, Superscript, UnclosedString, Unknown, detachedSlice, endOf, type MathToken,
} from './lexer.js';

let sharedGrammar: MathnoteGrammar | undefined;

/** The one grammar instance, built on first use. */
function grammar(): MathnoteGrammar {
  sharedGrammar ??= new MathnoteGrammar();
  return sharedGrammar;
}

/** Computes 1-based `line:column` texts of document offsets (columns in UTF-16 units). */
class LineColumns {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  describe(offset: number): string {
    if (!this.starts) {
      const starts = [0];
      for (let i = 0; i < this.text.length; i++) {
        const c = this.text.charCodeAt(i);
        if (c === 13 && this.text.charCodeAt(i + 1) === 10) i++;
        if (c === 10 || c === 13) starts.push(i + 1);
      }
      this.starts = starts;
    }
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return `${low + 1}:${offset - this.starts[low]! + 1}`;
  }
}

const openerOf: Record<string, string> = { ')': '(', ']': '[' };
const closerOf: Record<string, string> = { '(': ')', '[': ']', '|': '|', '‖': '‖' };

function tokenSpan(token: IToken): Span {
  return { start: token.startOffset, end: endOf(token) };
}

function syntaxProblem(kind: string, span: Span, args: Problem['args'] = {}): Problem {
  return { code: 'syntax', severity: 'error', kind, span, args };
}

/** One statement's tokens as the splitter grouped them. */
interface Group {
  readonly tokens: MathToken[];
  /** Index (into the block's tokens) of the first token after the group. */
  readonly end: number;
  /** Index of the first token after the group's first line. */
  readonly firstLineEnd: number;
  /** Brackets still open when the group ended (it ran to the end of the block). */
  readonly unclosed: MathToken[];
  /** The innermost bracket open at the end of the group's first line, if it continued. */
  readonly continuedBy?: MathToken;
}

/** Whether `[` opens an index (`x[1]`, `f(x)[2]`) rather than a matrix literal. */
function opensIndex(previous: MathToken | undefined, bracket: MathToken): boolean {
  if (!previous || bracket.spaceBefore) return false;
  return (
    tokenMatcher(previous, Name) || tokenMatcher(previous, RParen) || tokenMatcher(previous, RBracket) ||
    tokenMatcher(previous, PostfixOp) || tokenMatcher(previous, Superscript) || tokenMatcher(previous, SubscriptDigit) ||
    tokenMatcher(previous, Pipe) || tokenMatcher(previous, DoubleBar)
  );
}

/** The index of the innermost opener spelled `image` in `open`, or -1. */
function lastOpener(open: readonly MathToken[], image: string): number {
  for (let i = open.length - 1; i >= 0; i--) if (open[i]!.image === image) return i;
  return -1;
}

/** Collects the statement that starts at `tokens[start]`. */
function collectGroup(tokens: MathToken[], start: number): Group {
  // The statement's tokens are a slice of the block's, copied once at the end; a copy is made
  // earlier only when a row break has to be inserted.
  let group: MathToken[] | undefined;
  const open: MathToken[] = [];
  let line = tokens[start]!.line;
  let firstLineEnd = -1;
  let continuedBy: MathToken | undefined;
  let index = start;
  for (; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.line !== line) {
      if (firstLineEnd < 0) {
        firstLineEnd = index;
        continuedBy = open[open.length - 1];
      }
      if (open.length === 0) break;
      const innermost = open[open.length - 1]!;
      const previous = tokens[index - 1]!;
      const rowBreak =
        tokenMatcher(innermost, LBracket) && !innermost.opensIndex &&
        !tokenMatcher(previous, LBracket) && !tokenMatcher(previous, Semicolon) && !tokenMatcher(previous, Comma) &&
        !tokenMatcher(token, RBracket) && !tokenMatcher(token, Semicolon) && !tokenMatcher(token, Comma);
      if (rowBreak) {
        const separator = createTokenInstance(RowBreak, '', endOf(previous), endOf(previous), 0, 0, 0, 0) as MathToken;
        separator.spaceBefore = true;
        separator.line = previous.line;
        group ??= tokens.slice(start, index);
        group.push(separator);
      }
      line = token.line;
    }
    // A bracket after a row break starts a line, so it has space before it and opens no index.
    if (tokenMatcher(token, LBracket)) token.opensIndex = opensIndex(index > start ? tokens[index - 1] : undefined, token);
    group?.push(token);
    if (tokenMatcher(token, LParen) || tokenMatcher(token, LBracket)) {
      open.push(token);
    } else if (tokenMatcher(token, RParen) || tokenMatcher(token, RBracket)) {
      // A closer pops back to its own kind of opener; a stray closer is left to the parser.
      const at = lastOpener(open, openerOf[token.image]!);
      if (at >= 0) open.length = at;
    }
  }
  return { tokens: group ?? tokens.slice(start, index), end: index, firstLineEnd: firstLineEnd < 0 ? index : firstLineEnd, unclosed: open, continuedBy };
}

/** Marks every `(` whose matching `)` is followed by `->`: it opens a lambda's parameter list. */
function markLambdaParameters(tokens: MathToken[]): void {
  let stack: number[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (tokenMatcher(token, LParen)) {
      token.arrowAfterClose = false;
      (stack ??= []).push(i);
    } else if (tokenMatcher(token, RParen)) {
      const opener = stack?.pop();
      if (opener !== undefined) tokens[opener]!.arrowAfterClose = tokens[i + 1] !== undefined && tokenMatcher(tokens[i + 1]!, Arrow);
    }
  }
}

interface ParseAttempt<T> {
  readonly value?: T;
  readonly problem?: Problem;
  /** The token where parsing failed, when it did. */
  readonly failedAt?: IToken;
}

/** Runs one grammar rule over `tokens` and turns the first failure into one problem. */
function attempt<T>(tokens: MathToken[], rule: (parser: MathnoteGrammar) => T, lines: LineColumns): ParseAttempt<T> {
  const parser = grammar();
  markLambdaParameters(tokens);
  parser.prepare(tokens);
  let value: T;
  try {
    value = rule(parser);
  } catch (error) {
    if (error instanceof TooDeepError) {
      return { problem: syntaxProblem('syntax.too-deep', error.at, { limit: error.limit }) };
    }
    if (error instanceof RangeError) {
      // A safety net: the nesting limit should stop deep input long before the stack ends.
      return { problem: syntaxProblem('syntax.too-deep', tokenSpan(tokens[0]!), { limit: MAX_NESTING }) };
    }
    throw error;
  }
  const error = parser.errors[0];
  if (error) return { problem: describeError(error, tokens, parser.openers, lines), failedAt: error.token };
  const issue = parser.issues[0];
  if (issue) return { problem: syntaxProblem(issue.kind, issue.span, issue.args) };
  return { value };
}

function describeError(error: IRecognitionException, tokens: MathToken[], openers: MathToken[], lines: LineColumns): Problem {
  const token = error.token;
  const atEnd = token.tokenType.name === 'EOF';
  let facts: { expected?: string; expectedType?: string } = {};
  try {
    facts = JSON.parse(error.message) as typeof facts;
  } catch {
    facts = { expected: 'an expression' };
  }
  if (!atEnd && tokenMatcher(token, Unknown)) return syntaxProblem('syntax.unknown-character', tokenSpan(token), { found: token.image });
  if (!atEnd && tokenMatcher(token, UnclosedString)) return syntaxProblem('syntax.unclosed-string', tokenSpan(token));
  if (!atEnd && tokenMatcher(token, Arrow)) return syntaxProblem('syntax.lambda-parameters', tokenSpan(token));
  // Chevrotain decides with up to four tokens of lookahead, so a statement that ends while a
  // bracket is open may fail a few tokens before its end; it is still the open bracket's fault.
  const unclosed = unclosedOpeners(tokens);
  const innermost = unclosed[unclosed.length - 1];
  const failureIndex = atEnd ? tokens.length : tokens.indexOf(token as MathToken);
  if (innermost && failureIndex >= tokens.indexOf(innermost) && tokens.length - failureIndex <= 3) {
    const found = !atEnd && (tokenMatcher(token, RParen) || tokenMatcher(token, RBracket));
    return syntaxProblem('syntax.unclosed', tokenSpan(innermost), {
      open: innermost.image,
      close: closerOf[innermost.image]!,
      openedAt: lines.describe(innermost.startOffset),
      ...(found ? { found: token.image } : {}),
    });
  }
  const opener = openers[openers.length - 1];
  const expectsCloser = facts.expectedType === 'RParen' || facts.expectedType === 'RBracket' || facts.expectedType === 'Pipe' || facts.expectedType === 'DoubleBar';
  if (opener && (expectsCloser || atEnd)) {
    return syntaxProblem('syntax.unclosed', tokenSpan(opener), {
      open: opener.image,
      close: closerOf[opener.image] ?? opener.image,
      openedAt: lines.describe(opener.startOffset),
      ...(atEnd ? {} : { found: token.image }),
    });
  }
  if (!atEnd && (tokenMatcher(token, RParen) || tokenMatcher(token, RBracket)) && !openers.some((o) => o.image === openerOf[token.image])) {
    return syntaxProblem('syntax.unmatched-close', tokenSpan(token), { found: token.image, open: openerOf[token.image]! });
  }
  if (atEnd) {
    const last = tokens[tokens.length - 1]!;
    return syntaxProblem('syntax.unexpected-end', { start: last.startOffset, end: endOf(last) }, { expected: facts.expected ?? 'an expression' });
  }
  return syntaxProblem('syntax.unexpected', tokenSpan(token), { found: token.image, expected: facts.expected ?? 'an expression' });
}

/** The `(` and `[` of `tokens` that no bracket closes, outermost first. */
function unclosedOpeners(tokens: MathToken[]): MathToken[] {
  const open: MathToken[] = [];
  for (const token of tokens) {
    if (tokenMatcher(token, LParen) || tokenMatcher(token, LBracket)) open.push(token);
    else if (tokenMatcher(token, RParen) || tokenMatcher(token, RBracket)) {
      const at = lastOpener(open, openerOf[token.image]!);
      if (at >= 0) open.length = at;
    }
  }
  return open;
}

function spanOf(tokens: MathToken[]): Span {
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  return { start: first.startOffset, end: endOf(last) };
}

function sourceOf(text: string, span: Span): string {
  return detachedSlice(text, span.start, span.end);
}

function errorStatement(whole: Span, problem: Problem): { statement: Statement; problem: Problem } {
  return { statement: { kind: 'error', span: whole }, problem };
}

/** Classifies a parsed statement: definition, function, destructuring or bare expression. */
function classify(raw: RawStatement, whole: Span, text: string): { statement: Statement; problem?: Problem } {
  if (!raw.value) {
    if (raw.targets.length > 1) return errorStatement(whole, syntaxProblem('syntax.missing-assign', whole));
    return { statement: { kind: 'expression', span: whole, value: raw.targets[0]! } };
  }
  const value = raw.value;
  if (raw.targets.length > 1) {
    const names: NameDecl[] = [];
    for (const target of raw.targets) {
      if (target.kind !== 'name') return errorStatement(whole, syntaxProblem('syntax.cannot-assign', target.span, { target: sourceOf(text, target.span) }));
      names.push({ name: target.name, span: target.span });
    }
    return { statement: { kind: 'destructure', span: whole, targets: names, value } };
  }
  const target = raw.targets[0]!;
  if (target.kind === 'name') {
    return { statement: { kind: 'definition', span: whole, target: { name: target.name, span: target.span }, value } };
  }
  if (target.kind === 'power' && target.superscriptName) {
    return { statement: { kind: 'definition', span: whole, target: { name: target.superscriptName, span: target.span }, value } };
  }
  if (target.kind === 'call' && target.callee.kind === 'name' && target.named.length === 0 && target.args.every((arg) => arg.kind === 'name')) {
    const params = target.args.map((arg) => ({ name: (arg as { name: string }).name, span: arg.span }));
    return {
      statement: { kind: 'function', span: whole, target: { name: target.callee.name, span: target.callee.span }, params, body: value },
    };
  }
  return errorStatement(whole, syntaxProblem('syntax.cannot-assign', target.span, { target: sourceOf(text, target.span) }));
}

/**
 * Parses the content of one block, `text[contentStart, contentEnd)`, where `text` is the whole
 * document: every span in the result is a document offset. Never throws on bad input: each
 * statement that does not parse becomes an ErrorStatement with one `syntax` problem.
 */
export function parseBlock(text: string, contentStart: number, contentEnd: number): WithProblems<BlockAst> {
  const { tokens } = lex(text, contentStart, contentEnd);
  const lines = new LineColumns(text);
  const statements: Statement[] = [];
  const problems: Problem[] = [];
  let index = 0;
  while (index < tokens.length) {
    const group = collectGroup(tokens, index);
    const result = attempt(group.tokens, (parser) => parser.statement(), lines);
    if (result.value && !result.problem) {
      const classified = classify(result.value, spanOf(group.tokens), text);
      statements.push(classified.statement);
      if (classified.problem) problems.push(classified.problem);
      index = group.end;
      continue;
    }
    const multiLine = group.firstLineEnd < group.end;
    const failedAt = result.failedAt as MathToken | undefined;
    const failedOnLaterLine = failedAt !== undefined && failedAt.tokenType.name !== 'EOF' && failedAt.line !== tokens[index]!.line;
    const newStatementInside = failedOnLaterLine && tokenMatcher(failedAt, Equals);
    if (multiLine && (group.unclosed.length > 0 || newStatementInside)) {
      // The statement ran on because a bracket was left open (it never closed, or a definition
      // follows inside it): most likely the bracket was forgotten. Report the first line on its
      // own, which names the open bracket, and give the following lines their own chance.
      const firstLine = tokens.slice(index, group.firstLineEnd);
      const alone = attempt(firstLine, (parser) => parser.statement(), lines);
      problems.push(alone.problem ?? result.problem!);
      statements.push({ kind: 'error', span: spanOf(firstLine) });
      index = group.firstLineEnd;
      continue;
    }
    problems.push(result.problem!);
    statements.push({ kind: 'error', span: spanOf(group.tokens) });
    index = group.end;
  }
  return { value: { contentStart, contentEnd, statements }, problems };
}

/**
 * Parses one expression in `text[start, end)` (a result cited in prose as `` `= expr` ``).
 * Line breaks inside it are ignored. On failure the value is an ErrorExpr covering the range.
 */
export function parseExpressionAt(text: string, start: number, end: number): WithProblems<Expr> {
  const { tokens } = lex(text, start, end);
  const whole: Span = { start, end };
  if (tokens.length === 0) {
    return { value: { kind: 'error', span: whole }, problems: [syntaxProblem('syntax.unexpected-end', whole, { expected: 'an expression' })] };
  }
  const result = attempt(tokens, (parser) => parser.wholeExpression(), new LineColumns(text));
  if (result.value && !result.problem) return { value: result.value, problems: [] };
  return { value: { kind: 'error', span: whole }, problems: [result.problem!] };
}

