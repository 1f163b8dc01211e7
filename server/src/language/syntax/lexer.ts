/**
 * The Mathnote lexer: a hand-written scanner that produces chevrotain tokens.
 *
 * It is hand-written rather than a chevrotain `Lexer` because names are Unicode-aware (letters of
 * any script, combining accents, subscript digits and letters) and because the parser needs to
 * know, for every token, whether whitespace preceded it: inside matrix brackets a space separates
 * elements (`[1 -2]` is two elements, `[1 - 2]` one), and `P_ham (1 - P_spam)` records that the
 * parenthesis was spaced. The scan is one pass over the text, so it runs in linear time.
 */
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';
import type { Span } from './ast.js';

/** A chevrotain token with the layout facts the Mathnote parser needs. */
export interface MathToken extends IToken {
  /** Whether whitespace, a line break or a comment came right before this token. */
  spaceBefore: boolean;
  /** The 0-based line of the token, counted from the start of the lexed range. */
  line: number;
  /** For `(`: whether its matching `)` is directly followed by `->` (a lambda's parameters). */
  arrowAfterClose?: boolean;
  /** For `[`: whether it opens an index (`x[1]`) rather than a matrix literal. */
  opensIndex?: boolean;
}

function token(name: string, label: string, categories?: TokenType[]): TokenType {
  return createToken(categories ? { name, label, pattern: Lexer.NA, categories } : { name, label, pattern: Lexer.NA });
}

// Categories let the parser consume "any comparison operator" etc. in one step.
export const CompareOp = token('CompareOp', 'a comparison');
export const AddOp = token('AddOp', "'+' or '-'");
export const MulOp = token('MulOp', 'a product operator');
export const PowOp = token('PowOp', "'^'");
export const PostfixOp = token('PostfixOp', 'a postfix operator');

export const NumberLiteral = token('Number', 'a number');
export const StringLiteral = token('String', 'a string');
export const UnclosedString = token('UnclosedString', 'an unclosed string');
export const Name = token('Name', 'a name');
export const Superscript = token('Superscript', 'a superscript');
export const SubscriptDigit = token('SubscriptDigit', 'a subscript digit');

export const EqEq = token('EqEq', "'=='", [CompareOp]);
export const NotEq = token('NotEq', "'!='", [CompareOp]);
export const LessEq = token('LessEq', "'<='", [CompareOp]);
export const GreaterEq = token('GreaterEq', "'>='", [CompareOp]);
export const Less = token('Less', "'<'", [CompareOp]);
export const Greater = token('Greater', "'>'", [CompareOp]);
export const Approx = token('Approx', "'≈'", [CompareOp]);

export const Plus = token('Plus', "'+'", [AddOp]);
export const Minus = token('Minus', "'-'", [AddOp]);

export const Star = token('Star', "'*'", [MulOp]);
export const CenterDot = token('CenterDot', "'·'", [MulOp]);
export const Slash = token('Slash', "'/'", [MulOp]);
export const Backslash = token('Backslash', "'\\'", [MulOp]);
export const DotStar = token('DotStar', "'.*'", [MulOp]);
export const Odot = token('Odot', "'⊙'", [MulOp]);
export const DotSlash = token('DotSlash', "'./'", [MulOp]);
export const Times = token('Times', "'×'", [MulOp]);

export const Caret = token('Caret', "'^'", [PowOp]);
export const DotCaret = token('DotCaret', "'.^'", [PowOp]);

export const Prime = token('Prime', "'''", [PostfixOp]);
export const Transpose = token('Transpose', "'ᵀ'", [PostfixOp]);
export const Inverse = token('Inverse', "'⁻¹'", [PostfixOp]);
export const Bang = token('Bang', "'!'", [PostfixOp]);

export const Equals = token('Equals', "'='");
export const Arrow = token('Arrow', "'->'");
export const Colon = token('Colon', "':'");
export const Comma = token('Comma', "','");
export const Semicolon = token('Semicolon', "';'");
export const LParen = token('LParen', "'('");
export const RParen = token('RParen', "')'");
export const LBracket = token('LBracket', "'['");
export const RBracket = token('RBracket', "']'");
export const Pipe = token('Pipe', "'|'");
export const DoubleBar = token('DoubleBar', "'‖'");
export const Sqrt = token('Sqrt', "'√'");
export const Nabla = token('Nabla', "'∇'");
export const Partial = token('Partial', "'∂'");
export const SumSign = token('SumSign', "'∑'");
export const ProductSign = token('ProductSign', "'∏'");
/** A line break inside matrix brackets: it separates rows. Made by the statement splitter. */
export const RowBreak = token('RowBreak', 'a line break');
/** A character that is not part of the language. */
export const Unknown = token('Unknown', 'an unknown character');

/** Every token type, categories first, as the parser's vocabulary. */
export const allTokenTypes: TokenType[] = [
  CompareOp, AddOp, MulOp, PowOp, PostfixOp,
  NumberLiteral, StringLiteral, UnclosedString, Name, Superscript, SubscriptDigit,
  EqEq, NotEq, LessEq, GreaterEq, Less, Greater, Approx,
  Plus, Minus, Star, CenterDot, Slash, Backslash, DotStar, Odot, DotSlash, Times, Caret, DotCaret,
  Prime, Transpose, Inverse, Bang,
  Equals, Arrow, Colon, Comma, Semicolon, LParen, RParen, LBracket, RBracket, Pipe, DoubleBar,
  Sqrt, Nabla, Partial, SumSign, ProductSign, RowBreak, Unknown,
];

/** Operators of two characters, tried before single characters. */
const twoCharOperators: Record<string, TokenType> = {
  '==': EqEq, '!=': NotEq, '<=': LessEq, '>=': GreaterEq, '->': Arrow,
  '.*': DotStar, './': DotSlash, '.^': DotCaret,
};

/** Operators of one character, including the Unicode spellings. */
const oneCharOperators: Record<string, TokenType> = {
  '+': Plus, '-': Minus, '\u2212': Minus, '*': Star, '·': CenterDot, '⋅': CenterDot, '/': Slash,
  '\\': Backslash, '⊙': Odot, '×': Times, '^': Caret, '<': Less, '>': Greater, '≠': NotEq,
  '≤': LessEq, '≥': GreaterEq, '≈': Approx, "'": Prime, '′': Prime, 'ᵀ': Transpose, '!': Bang,
  '=': Equals, '→': Arrow, ':': Colon, ',': Comma, ';': Semicolon, '(': LParen, ')': RParen,
  '[': LBracket, ']': RBracket, '|': Pipe, '‖': DoubleBar, '√': Sqrt, '∇': Nabla, '∂': Partial,
  '∑': SumSign, '∏': ProductSign,
};

/**
 * The operator tables by UTF-16 code, for the scanner: looking up a code in a Map avoids making
 * (and hashing) a new one- or two-character string for every operator of the note.
 */
const oneCharByCode = new Map<number, TokenType>(Object.entries(oneCharOperators).map(([char, type]) => [char.charCodeAt(0), type]));
const twoCharByCode = new Map<number, Map<number, TokenType>>();
for (const [pair, type] of Object.entries(twoCharOperators)) {
  const first = pair.charCodeAt(0);
  const seconds = twoCharByCode.get(first) ?? new Map<number, TokenType>();
  seconds.set(pair.charCodeAt(1), type);
  twoCharByCode.set(first, seconds);
}

/** Superscript characters and the ASCII they stand for. */
export const superscriptDigits: Record<string, string> = {
  '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9',
};
const superscriptSigns: Record<string, string> = { '⁻': '-', '⁺': '+' };

/** Subscript characters allowed inside names: digits, letters U+2090–209C, ᵢᵣᵤᵥ and ⱼ. */
function isSubscriptNameChar(code: number): boolean {
  return (code >= 0x2080 && code <= 0x2089) || (code >= 0x2090 && code <= 0x209c) || (code >= 0x1d62 && code <= 0x1d65) || code === 0x2c7c;
}

const letter = /\p{L}/u;
const combiningMark = /\p{Mn}/u;
const decimalDigit = /\p{Nd}/u;

/** `ᵀ` is a modifier letter in Unicode but the transpose operator in Mathnote. */
const TRANSPOSE = 0x1d40;

/** Whether a code point may start a name: a letter of any script or `_`. */
export function isNameStart(code: number): boolean {
  if (code === 0x5f || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) return true;
  if (code < 0x80) return false;
  if (code === TRANSPOSE) return false;
  return letter.test(String.fromCodePoint(code));
}

/** Whether a code point may continue a name: letters, combining accents, digits, `_`, subscripts. */
export function isNameContinue(code: number): boolean {
  if (code === 0x5f || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39)) return true;
  if (code < 0x80) return false;
  if (isSubscriptNameChar(code)) return true;
  if (code === TRANSPOSE) return false;
  const char = String.fromCodePoint(code);
  return letter.test(char) || combiningMark.test(char) || decimalDigit.test(char);
}

function isSpace(char: string): boolean {
  if (char === ' ' || char === '\t') return true;
  if (char < '\u0080') return char === '\f' || char === '\v';
  return char === '\t' || char === '\f' || char === '\v' || char === '\u00a0' || char === '\ufeff' || /\p{Zs}/u.test(char);
}

/** The result of lexing a range of the document. */
export interface LexResult {
  /** Tokens in order, with document offsets; comments and whitespace are not tokens. */
  readonly tokens: MathToken[];
  /** The spans of `#` comments, for editors (semantic tokens, folding). */
  readonly comments: Span[];
}

/**
 * Splits `text[start, end)` into tokens whose offsets are document offsets. Never fails: a
 * character outside the language becomes an `Unknown` token and an unterminated string an
 * `UnclosedString` token, so the parser reports them where they are.
 */
export function lex(text: string, start = 0, end = text.length): LexResult {
  const tokens: MathToken[] = [];
  const comments: Span[] = [];
  let line = 0;
  let spaceBefore = true;
  let i = start;

  const push = (type: TokenType, from: number, to: number): void => {
    // The token is built in one literal (the fields of chevrotain's createTokenInstance plus
    // ours) so that every token shares one hidden class; adding fields afterwards made tokens
    // change shape and slowed lexing and every parser access.
    tokens.push({
      image: detachedSlice(text, from, to),
      startOffset: from,
      endOffset: to - 1,
      startLine: line + 1,
      endLine: line + 1,
      startColumn: 0,
      endColumn: 0,
      tokenTypeIdx: type.tokenTypeIdx!,
      tokenType: type,
      spaceBefore,
      line,
    });
    spaceBefore = false;
  };

  while (i < end) {
    // Spaces, ASCII names and numbers, most of every note, are scanned by character code first,
    // without making a string per character; everything else by the general rules below.
    const unit = text.charCodeAt(i);
    if (unit === 0x20) {
      i++;
      spaceBefore = true;
      continue;
    }
    if (isAsciiNameStart(unit)) {
      let j = i + 1;
      while (j < end) {
        const next = text.charCodeAt(j);
        if (isAsciiNameStart(next) || isAsciiDigitCode(next)) {
          j++;
          continue;
        }
        if (next < 0x80) break;
        const point = text.codePointAt(j)!;
        if (!isNameContinue(point)) break;
        j += point > 0xffff ? 2 : 1;
      }
      push(Name, i, j);
      i = j;
      continue;
    }
    if (isAsciiDigitCode(unit) || (unit === 0x2e /* . */ && i + 1 < end && isAsciiDigitCode(text.charCodeAt(i + 1)))) {
      const j = numberEnd(text, i, end);
      push(NumberLiteral, i, j);
      i = j;
      continue;
    }
    const char = text[i]!;
    if (char === '\n' || char === '\r') {
      i += char === '\r' && text[i + 1] === '\n' && i + 1 < end ? 2 : 1;
      line++;
      spaceBefore = true;
      continue;
    }
    if (isSpace(char)) {
      i++;
      spaceBefore = true;
      continue;
    }
    if (char === '#') {
      let j = i;
      while (j < end && text[j] !== '\n' && text[j] !== '\r') j++;
      comments.push({ start: i, end: j });
      i = j;
      spaceBefore = true;
      continue;
    }
    const code = text.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;

    // Numbers: 1, 0.5, .5, 1e-3, 2.5E+3. A dot must be followed by a digit so that `2.*x` and
    // `x.^2` keep their element-wise operators.
    if (code === 0x221e /* ∞ */) {
      push(Name, i, i + 1);
      i++;
      continue;
    }

    if (isNameStart(code)) {
      let j = i + width;
      while (j < end) {
        const next = text.codePointAt(j)!;
        if (!isNameContinue(next)) break;
        j += next > 0xffff ? 2 : 1;
      }
      push(Name, i, j);
      i = j;
      continue;
    }

    if (char === '"') {
      let j = i + 1;
      let closed = false;
      while (j < end && text[j] !== '\n' && text[j] !== '\r') {
        if (text[j] === '\\' && j + 1 < end && text[j + 1] !== '\n' && text[j + 1] !== '\r') {
          j += 2;
          continue;
        }
        if (text[j] === '"') {
          closed = true;
          j++;
          break;
        }
        j++;
      }
      push(closed ? StringLiteral : UnclosedString, i, j);
      i = j;
      continue;
    }

    if (code >= 0xb2 && (char in superscriptDigits || char in superscriptSigns)) {
      let j = i;
      if (char in superscriptSigns) j++;
      const digitsStart = j;
      while (j < end && text[j]! in superscriptDigits) j++;
      if (j === digitsStart) {
        push(Unknown, i, j);
        i = j;
        continue;
      }
      push(text.slice(i, j) === '⁻¹' ? Inverse : Superscript, i, j);
      i = j;
      continue;
    }

    if (code >= 0x2080 && code <= 0x2089) {
      push(SubscriptDigit, i, i + 1);
      i++;
      continue;
    }

    const two = i + 1 < end ? twoCharByCode.get(code)?.get(text.charCodeAt(i + 1)) : undefined;
    if (two) {
      push(two, i, i + 2);
      i += 2;
      continue;
    }
    const one = oneCharByCode.get(code);
    if (one) {
      push(one, i, i + 1);
      i++;
      continue;
    }
    push(Unknown, i, i + width);
    i += width;
  }
  return { tokens, comments };
}

/**
 * `text.slice(from, to)` as a string of its own. V8 makes a slice of 13 or more characters a view
 * into its parent, so a long name or number in an AST kept by the parse cache would keep a whole
 * version of the document alive (one per keystroke while such a token is typed).
 */
export function detachedSlice(text: string, from: number, to: number): string {
  const slice = text.slice(from, to);
  return to - from < 13 ? slice : (JSON.parse(JSON.stringify(slice)) as string);
}

function isAsciiDigitCode(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** `_`, `a`–`z`, `A`–`Z`: the ASCII characters that may start a name. */
function isAsciiNameStart(code: number): boolean {
  return code === 0x5f || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/**
 * The end of the number that starts at `start`: 1, 0.5, .5, 1e-3, 2.5E+3. A dot must be followed
 * by a digit so that `2.*x` and `x.^2` keep their element-wise operators.
 */
function numberEnd(text: string, start: number, end: number): number {
  let j = start;
  while (j < end && isAsciiDigitCode(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) === 0x2e && j + 1 < end && isAsciiDigitCode(text.charCodeAt(j + 1))) {
    j++;
    while (j < end && isAsciiDigitCode(text.charCodeAt(j))) j++;
  }
  const exponent = text.charCodeAt(j);
  if ((exponent === 0x65 || exponent === 0x45) && j + 1 < end) {
    let k = j + 1;
    const sign = text.charCodeAt(k);
    if ((sign === 0x2b || sign === 0x2d) && k + 1 < end) k++;
    if (k < end && isAsciiDigitCode(text.charCodeAt(k))) {
      while (k < end && isAsciiDigitCode(text.charCodeAt(k))) k++;
      j = k;
    }
  }
  return j;
}

/** The value of a superscript numeral such as `²`, `⁻²` or `¹⁰`. */
export function superscriptValue(image: string): number {
  let ascii = '';
  for (const char of image) ascii += superscriptDigits[char] ?? superscriptSigns[char] ?? '';
  return Number(ascii);
}

/** Maps ASCII digits and signs to superscript characters (`-2` → `⁻²`), for printing. */
export function toSuperscript(ascii: string): string {
  const table: Record<string, string> = { '-': '⁻', '+': '⁺' };
  for (const [sup, digit] of Object.entries(superscriptDigits)) table[digit] = sup;
  let out = '';
  for (const char of ascii) out += table[char] ?? char;
  return out;
}

/** The document offset just past a token (chevrotain's own `endOffset` is inclusive and optional). */
export function endOf(token: IToken): number {
  return token.startOffset + token.image.length;
}
