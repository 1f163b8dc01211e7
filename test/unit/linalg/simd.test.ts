/**
 * The WebAssembly SIMD product kernel (simd.ts) against a plain triple loop: ragged edges, several
 * packed blocks in every direction, both signs, operands that share one array (as blocked LU
 * uses it), and IEEE special values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simdGemm } from '../../../server/src/language/eval/linalg/simd.js';
import { gemmUpdate } from '../../../server/src/language/eval/linalg/basic.js';
import { seededRandom } from './oracle.js';

/** C + sign·A·B by the definition, summing k in increasing order. */
function reference(
  C: Float64Array, c0: number, ldc: number, A: Float64Array, a0: number, lda: number,
  B: Float64Array, b0: number, ldb: number, m: number, kk: number, n: number, sign: 1 | -1,
): Float64Array {
  const out = C.slice();
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < kk; p++) s += A[a0 + i * lda + p]! * B[b0 + p * ldb + j]!;
      out[c0 + i * ldc + j] = C[c0 + i * ldc + j]! + sign * s;
    }
  }
  return out;
}

function assertNear(actual: Float64Array, expected: Float64Array, scale: number, label: string): void {
  assert.equal(actual.length, expected.length, label);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      assert.ok(Number.isNaN(a), `${label}: entry ${i} is ${a}, expected NaN`);
    } else if (!Number.isFinite(e)) {
      assert.equal(a, e, `${label}: entry ${i}`);
    } else {
      assert.ok(Math.abs(a - e) <= 1e-13 * scale, `${label}: entry ${i} is ${a}, expected ${e}`);
    }
  }
}

test('the SIMD kernel matches the definition on ragged and multi-block shapes, both signs', () => {
  const random = seededRandom(7);
  const fill = (length: number): Float64Array => Float64Array.from({ length }, () => random() - 0.5);
  // Sizes around the packing multiples of 4 and beyond one block of rows (128), depth (256) and columns (512).
  const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 4, 4], [9, 1, 6], [33, 34, 35], [130, 300, 517], [129, 257, 4]];
  for (const [m, kk, n] of shapes) {
    for (const sign of [1, -1] as const) {
      const A = fill(m * kk);
      const B = fill(kk * n);
      const C = fill(m * n);
      const expected = reference(C, 0, n, A, 0, kk, B, 0, n, m, kk, n, sign);
      assert.ok(simdGemm(C, 0, n, A, 0, kk, B, 0, n, m, kk, n, sign), 'WebAssembly is available under Node');
      assertNear(C, expected, kk, `${m}×${kk}×${n}, sign ${sign}`);
    }
  }
});

test('the SIMD kernel updates a sub-block in place when A, B and C are one array (blocked LU)', () => {
  const random = seededRandom(8);
  const n = 70;
  const data = Float64Array.from({ length: n * n }, () => random() - 0.5);
  const k0 = 10;
  const k1 = 42;
  const expected = reference(data, k1 * n + k1, n, data, k1 * n + k0, n, data, k0 * n + k1, n, n - k1, k1 - k0, n - k1, -1);
  simdGemm(data, k1 * n + k1, n, data, k1 * n + k0, n, data, k0 * n + k1, n, n - k1, k1 - k0, n - k1, -1);
  assertNear(data, expected, 32, 'trailing update');
});

test('the SIMD kernel keeps IEEE semantics: 0·Inf is NaN, Inf and NaN propagate', () => {
  const m = 40;
  const kk = 40;
  const n = 40;
  const A = new Float64Array(m * kk).fill(1);
  const B = new Float64Array(kk * n).fill(1);
  A[0] = 0;
  B[0] = Infinity; // row 0 of C gets 0·Inf = NaN in column 0; other rows get Inf there
  B[5 * n + 3] = NaN; // column 3 of C is NaN everywhere
  const C = new Float64Array(m * n);
  const expected = reference(C, 0, n, A, 0, kk, B, 0, n, m, kk, n, 1);
  simdGemm(C, 0, n, A, 0, kk, B, 0, n, m, kk, n, 1);
  assert.ok(Number.isNaN(C[0]!));
  assert.equal(C[n], Infinity);
  assert.ok(Number.isNaN(C[7 * n + 3]!));
  assertNear(C, expected, kk, 'special values');
});

test('gemmUpdate gives the same products through the SIMD kernel and through its scalar loops', () => {
  const random = seededRandom(9);
  // 64³ is above the SIMD threshold, 7×9×11 below it: both paths against the definition.
  for (const [m, kk, n] of [[64, 64, 64], [7, 9, 11]] as const) {
    const A = Float64Array.from({ length: m * kk }, () => random() - 0.5);
    const B = Float64Array.from({ length: kk * n }, () => random() - 0.5);
    const C = new Float64Array(m * n);
    const expected = reference(C, 0, n, A, 0, kk, B, 0, n, m, kk, n, 1);
    gemmUpdate(C, 0, n, A, 0, kk, B, 0, n, m, kk, n, 1);
    assertNear(C, expected, kk, `${m}×${kk}×${n}`);
  }
});
