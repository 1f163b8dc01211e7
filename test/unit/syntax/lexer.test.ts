import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex } from '../../../server/src/language/syntax/lexer.js';

/** Token images with their types, `image:Type`. */
function tokens(source: string): string[] {
  return lex(source).tokens.map((token) => `${token.image}:${token.tokenType.name}`);
}

const cases: [string, string[]][] = [
  ['XᵀX', ['X:Name', 'ᵀ:Transpose', 'X:Name']],
  ['x₁ x_1 xᵢ θ₀ ⱼ', ['x₁:Name', 'x_1:Name', 'xᵢ:Name', 'θ₀:Name', 'ⱼ:Name']],
  ['β̂ ŷ x̄ ỹ ẋ cosθ 平均 𠀀', ['β̂:Name', 'ŷ:Name', 'x̄:Name', 'ỹ:Name', 'ẋ:Name', 'cosθ:Name', '平均:Name', '𠀀:Name']],
  ['σ² x⁻¹ x⁻² x¹⁰', ['σ:Name', '²:Superscript', 'x:Name', '⁻¹:Inverse', 'x:Name', '⁻²:Superscript', 'x:Name', '¹⁰:Superscript']],
  ['2.*x x.^2 1.5e3x .5 1e', ['2:Number', '.*:DotStar', 'x:Name', 'x:Name', '.^:DotCaret', '2:Number', '1.5e3:Number', 'x:Name', '.5:Number', '1:Number', 'e:Name']],
  ['a==b a!=b a≠b a<=b a≤b a>=b a≥b a≈b', ['a:Name', '==:EqEq', 'b:Name', 'a:Name', '!=:NotEq', 'b:Name', 'a:Name', '≠:NotEq', 'b:Name', 'a:Name', '<=:LessEq', 'b:Name', 'a:Name', '≤:LessEq', 'b:Name', 'a:Name', '>=:GreaterEq', 'b:Name', 'a:Name', '≥:GreaterEq', 'b:Name', 'a:Name', '≈:Approx', 'b:Name']],
  ['∞ π ∑ ∏ ∇ ∂ √ ‖ ₁', ['∞:Name', 'π:Name', '∑:SumSign', '∏:ProductSign', '∇:Nabla', '∂:Partial', '√:Sqrt', '‖:DoubleBar', '₁:SubscriptDigit']],
  ['"a \\" # b" # comment', ['"a \\" # b":String']],
  ['"open', ['"open:UnclosedString']],
  ['a @ 😀', ['a:Name', '@:Unknown', '😀:Unknown']],
  ["f' f′ n!", ['f:Name', "':Prime", 'f:Name', '′:Prime', 'n:Name', '!:Bang']],
];
for (const [source, expected] of cases) {
  test(`lex ${source}`, () => assert.deepEqual(tokens(source), expected));
}

test('lex records spaces, lines and comments with document offsets', () => {
  const text = 'prose\nx =  1 # note\r\n[1 -2]';
  const start = text.indexOf('x');
  const result = lex(text, start, text.length);
  assert.deepEqual(result.tokens.map((t) => [t.image, t.startOffset, t.line, t.spaceBefore]), [
    ['x', 6, 0, true], ['=', 8, 0, true], ['1', 11, 0, true], ['[', 21, 1, true], ['1', 22, 1, false], ['-', 24, 1, true], ['2', 25, 1, false], [']', 26, 1, false],
  ]);
  assert.deepEqual(result.comments, [{ start: 13, end: 19 }]);
});
