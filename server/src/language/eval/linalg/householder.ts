/**
 * Applying many Householder reflectors at once, in the compact WY form of LAPACK's dlarft/dlarfb.
 */
import { dotStrided, gemmUpdate } from './basic.js';

/** H = I − β·v·vᵀ acting on rows offset … offset + v.length − 1. β = 0 means H = I. */
export interface Reflector {
  readonly v: Float64Array;
  readonly beta: number;
  readonly offset: number;
}

/** Reflectors per block: enough to turn the work into matrix products. */
const WY_BLOCK = 32;

/**
 * Z ← H₀H₁⋯H_{r−1}·Z for a row-major rows×cols Z. A block of reflectors is I − Y·T·Yᵀ with T upper
 * triangular, so applying it is two matrix products (`gemmUpdate`) and a small triangular one
 * instead of one pass over Z per reflector.
 */
export function applyReflectorsBlocked(Z: Float64Array, rows: number, cols: number, reflectors: readonly Reflector[]): void {
  for (let k1 = reflectors.length; k1 > 0; k1 -= WY_BLOCK) {
    const k0 = Math.max(0, k1 - WY_BLOCK);
    const nb = k1 - k0;
    let r0 = rows;
    for (let j = k0; j < k1; j++) r0 = Math.min(r0, reflectors[j]!.offset);
    const height = rows - r0;
    if (height <= 0) continue;
    // Yt is nb×height: row j holds v_{k0+j} at its offset.
    const Yt = new Float64Array(nb * height);
    for (let j = 0; j < nb; j++) {
      const { v, offset } = reflectors[k0 + j]!;
      Yt.set(v, j * height + offset - r0);
    }
    const Y = new Float64Array(height * nb);
    for (let i = 0; i < height; i++) for (let j = 0; j < nb; j++) Y[i * nb + j] = Yt[j * height + i]!;
    // T[j][j] = βⱼ, T[0:j, j] = −βⱼ·T[0:j, 0:j]·(Y[:, 0:j]ᵀ yⱼ).
    const T = new Float64Array(nb * nb);
    const t = new Float64Array(nb);
    for (let j = 0; j < nb; j++) {
      const beta = reflectors[k0 + j]!.beta;
      for (let i = 0; i < j; i++) t[i] = -beta * dotStrided(Yt, i * height, Yt, j * height, height);
      for (let i = 0; i < j; i++) {
        let acc = 0;
        for (let q = i; q < j; q++) acc += T[i * nb + q]! * t[q]!;
        T[i * nb + j] = acc;
      }
      T[j * nb + j] = beta;
    }
    // W = Yᵀ·Z[r0:, :], then W ← T·W, then Z[r0:, :] −= Y·W.
    const W = new Float64Array(nb * cols);
    gemmUpdate(W, 0, cols, Yt, 0, height, Z, r0 * cols, cols, nb, height, cols, 1);
    const TW = new Float64Array(nb * cols);
    gemmUpdate(TW, 0, cols, T, 0, nb, W, 0, cols, nb, nb, cols, 1);
    gemmUpdate(Z, r0 * cols, cols, Y, 0, nb, TW, 0, cols, height, nb, cols, -1);
  }
}
