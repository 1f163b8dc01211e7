/**
 * Dense kernels in WebAssembly SIMD (two doubles per instruction), assembled here from their bytes
 * so the core stays a pure library with no build step and no binary file:
 *
 * - `gemm`: the matrix-product micro-kernel, a 4×4 block of C in eight vector registers over packed
 *   panels of A and B (used by `gemmUpdate`, hence by matmul, blocked LU and the blocked
 *   Householder products);
 * - `rotate`: a chain of plane rotations on eight rows at a time (the SVD's QR sweeps);
 * - `reflect`, `combine`: a Householder reflector applied to columns, matrix-vector products and
 *   rank-one updates (the SVD's bidiagonal reduction);
 * - `symv`, `syr2`: the symmetric product and rank-two update of the tridiagonal reduction
 *   (symmetric eig).
 *
 * Scalar JavaScript peaks at about two floating-point operations per cycle, so these loops in
 * plain typed arrays stay 20–50× behind an optimized BLAS; on 128-bit vectors they run several
 * times faster. Every product and sum is still formed in IEEE double precision (no fused
 * multiply-add), so results match the scalar loops up to the order of summation (bit for bit where
 * the comments say so), and Inf/NaN propagate as they do there.
 *
 * Where WebAssembly is unavailable (or refuses the module), `simdGemm` returns false and
 * `simdWorkspace` undefined, and callers keep their scalar loops.
 */

/** Rows of A per packed block (its panels stay in the L2 cache while B's panels stream past). */
const MC = 128;
/** Depth of a packed block: a 4-column panel of B is KC·32 bytes and stays in L1. */
const KC = 256;
/** Columns of B per packed block. */
const NC = 512;

const enum Op {
  Block = 0x02,
  Loop = 0x03,
  Br = 0x0c,
  BrIf = 0x0d,
  If = 0x04,
  Else = 0x05,
  End = 0x0b,
  LocalGet = 0x20,
  LocalSet = 0x21,
  I32Const = 0x41,
  I32Eqz = 0x45,
  I32LtU = 0x49,
  I32Add = 0x6a,
  I32Sub = 0x6b,
  I32Mul = 0x6c,
  I32GtU = 0x4b,
  I32GeU = 0x4f,
  F64Load = 0x2b,
  F64Store = 0x39,
  F64Neg = 0x9a,
  F64Add = 0xa0,
  F64Sub = 0xa1,
  F64Mul = 0xa2,
  F64Div = 0xa3,
  SimdPrefix = 0xfd,
  VoidBlockType = 0x40,
}

/** SIMD opcodes (after the 0xfd prefix), as unsigned LEB128 byte sequences. */
const V128_LOAD = [0x00];
const V128_LOAD64_SPLAT = [0x0a];
const F64X2_SPLAT = [0x14];
const V128_STORE = [0x0b];
const F64X2_ADD = [0xf0, 0x01];
const F64X2_SUB = [0xf1, 0x01];
const F64X2_EXTRACT_LANE = [0x21];
const V128_CONST = [0x0c];
const F64X2_MUL = [0xf2, 0x01];

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...unsignedLeb(body.length), ...body];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

/**
 * The kernel `gemm(ap, bp, c, rowPanels, colPanels, kc, ldcBytes)`: for every 4-row panel of A
 * (packed k-major: the 4 entries of column k together) and every 4-column panel of B (packed
 * k-major: the 4 entries of row k together), C[4×4 tile] += Apanel·Bpanel, with C row-major at
 * byte offset `c` and row stride `ldcBytes`. All offsets are in bytes.
 */
function gemmBody(): number[] {
  // Parameters 0–6; locals: 7 jp, 8 ip, 9 k (remaining), 10 aPtr, 11 bPtr, 12 cTile, 13 bPanel,
  // 14 aPanel, then 15–22 the eight v128 accumulators, 23–24 the two B vectors, 25 the A splat.
  const [AP, BP, C, ROW_PANELS, COL_PANELS, KCOUNT, LDC] = [0, 1, 2, 3, 4, 5, 6];
  const [JP, IP, K, APTR, BPTR, CTILE, BPANEL, APANEL] = [7, 8, 9, 10, 11, 12, 13, 14];
  const ACC = [15, 16, 17, 18, 19, 20, 21, 22];
  const [B0, B1, SPLAT] = [23, 24, 25];
  const get = (i: number): number[] => [Op.LocalGet, i];
  const set = (i: number): number[] => [Op.LocalSet, i];
  const i32 = (v: number): number[] => [Op.I32Const, ...signedLeb(v)];
  const simd = (op: number[], memarg?: [number, number]): number[] =>
    [Op.SimdPrefix, ...op, ...(memarg ? [...unsignedLeb(memarg[0]), ...unsignedLeb(memarg[1])] : [])];
  const code: number[] = [];
  const emit = (...parts: number[][]): void => {
    for (const p of parts) code.push(...p);
  };
  // Address of row r of the current C tile, plus byte offset col.
  const cRow = (r: number): number[] => (r === 0 ? get(CTILE) : [...get(CTILE), ...get(LDC), ...i32(r), Op.I32Mul, Op.I32Add]);

  emit(i32(0), set(JP), get(BP), set(BPANEL));
  emit([Op.Block, Op.VoidBlockType, Op.Loop, Op.VoidBlockType]); // over column panels
  emit(get(JP), get(COL_PANELS), [Op.I32LtU, Op.I32Eqz, Op.BrIf, 1]);
  emit(i32(0), set(IP), get(AP), set(APANEL));
  emit([Op.Block, Op.VoidBlockType, Op.Loop, Op.VoidBlockType]); // over row panels
  emit(get(IP), get(ROW_PANELS), [Op.I32LtU, Op.I32Eqz, Op.BrIf, 1]);
  // cTile = c + ip·4·ldc + jp·32
  emit(get(C), get(IP), i32(4), [Op.I32Mul], get(LDC), [Op.I32Mul, Op.I32Add], get(JP), i32(32), [Op.I32Mul, Op.I32Add], set(CTILE));
  for (let r = 0; r < 4; r++) {
    emit(cRow(r), simd(V128_LOAD, [3, 0]), set(ACC[2 * r]!));
    emit(cRow(r), simd(V128_LOAD, [3, 16]), set(ACC[2 * r + 1]!));
  }
  emit(get(APANEL), set(APTR), get(BPANEL), set(BPTR), get(KCOUNT), set(K));
  emit([Op.Block, Op.VoidBlockType, Op.Loop, Op.VoidBlockType]); // over k
  emit(get(K), [Op.I32Eqz, Op.BrIf, 1]);
  emit(get(BPTR), simd(V128_LOAD, [3, 0]), set(B0));
  emit(get(BPTR), simd(V128_LOAD, [3, 16]), set(B1));
  for (let r = 0; r < 4; r++) {
    emit(get(APTR), simd(V128_LOAD64_SPLAT, [3, 8 * r]), set(SPLAT));
    emit(get(ACC[2 * r]!), get(SPLAT), get(B0), simd(F64X2_MUL), simd(F64X2_ADD), set(ACC[2 * r]!));
    emit(get(ACC[2 * r + 1]!), get(SPLAT), get(B1), simd(F64X2_MUL), simd(F64X2_ADD), set(ACC[2 * r + 1]!));
  }
  emit(get(APTR), i32(32), [Op.I32Add], set(APTR));
  emit(get(BPTR), i32(32), [Op.I32Add], set(BPTR));
  emit(get(K), i32(1), [Op.I32Sub], set(K));
  emit([Op.Br, 0, Op.End, Op.End]);
  for (let r = 0; r < 4; r++) {
    emit(cRow(r), get(ACC[2 * r]!), simd(V128_STORE, [3, 0]));
    emit(cRow(r), get(ACC[2 * r + 1]!), simd(V128_STORE, [3, 16]));
  }
  // Next row panel: aPanel += kc·32.
  emit(get(APANEL), get(KCOUNT), i32(32), [Op.I32Mul, Op.I32Add], set(APANEL));
  emit(get(IP), i32(1), [Op.I32Add], set(IP));
  emit([Op.Br, 0, Op.End, Op.End]);
  emit(get(BPANEL), get(KCOUNT), i32(32), [Op.I32Mul, Op.I32Add], set(BPANEL));
  emit(get(JP), i32(1), [Op.I32Add], set(JP));
  emit([Op.Br, 0, Op.End, Op.End]);
  const locals = vector([
    [8, 0x7f], // 8 × i32 (locals 7–14)
    [11, 0x7b], // 11 × v128 (locals 15–25)
  ]);
  const body = [...locals, ...code, Op.End];
  return [...unsignedLeb(body.length), ...body];
}

/**
 * The kernel `rotate(x, ldBytes, rowsBytes, j0, j1, cs, sn)`: applies the chain of plane rotations
 * j = j0 … j1−1, (col j, col j+1) ← (c·col j + s·col j+1, c·col j+1 − s·col j) with c = cs[j],
 * s = sn[j], to the first rowsBytes/8 rows (a multiple of 8) of the columns of a column-major
 * matrix at byte offset `x` whose columns are `ldBytes` apart. The rows are taken 8 at a time, as
 * four vectors carried through the chain in registers, so each entry is loaded and stored once.
 * `cs` and `sn` are byte offsets of the cosines and sines.
 */
function rotateBody(): number[] {
  const [X, LD, ROWS, J0, J1, CS, SN] = [0, 1, 2, 3, 4, 5, 6];
  // Locals: 7 strip, 8 p (address in the current column), 9 j, 10 cPtr, 11 sPtr, then v128:
  // 12–15 the carried vectors, 16–19 the next column's vectors, 20 c, 21 s.
  const [STRIP, P, J, CPTR, SPTR] = [7, 8, 9, 10, 11];
  const CARRY = [12, 13, 14, 15];
  const NEXT = [16, 17, 18, 19];
  const [CV, SV] = [20, 21];
  const get = (i: number): number[] => [Op.LocalGet, i];
  const set = (i: number): number[] => [Op.LocalSet, i];
  const i32 = (v: number): number[] => [Op.I32Const, ...signedLeb(v)];
  const simd = (op: number[], memarg?: [number, number]): number[] =>
    [Op.SimdPrefix, ...op, ...(memarg ? [...unsignedLeb(memarg[0]), ...unsignedLeb(memarg[1])] : [])];
  const code: number[] = [];
  const emit = (...parts: number[][]): void => {
    for (const part of parts) code.push(...part);
  };
  emit(i32(0), set(STRIP));
  emit([Op.Block, Op.VoidBlockType, Op.Loop, Op.VoidBlockType]); // over strips of 8 rows
  emit(get(STRIP), get(ROWS), [Op.I32LtU, Op.I32Eqz, Op.BrIf, 1]);
  // p = x + strip + j0·ld
  emit(get(X), get(STRIP), [Op.I32Add], get(J0), get(LD), [Op.I32Mul, Op.I32Add], set(P));
  for (let q = 0; q < 4; q++) emit(get(P), simd(V128_LOAD, [3, 16 * q]), set(CARRY[q]!));
  emit(get(J0), set(J), get(CS), get(J0), i32(8), [Op.I32Mul, Op.I32Add], set(CPTR), get(SN), get(J0), i32(8), [Op.I32Mul, Op.I32Add], set(SPTR));
  emit([Op.Block, Op.VoidBlockType, Op.Loop, Op.VoidBlockType]); // over the chain
  emit(get(J), get(J1), [Op.I32LtU, Op.I32Eqz, Op.BrIf, 1]);
  emit(get(CPTR), simd(V128_LOAD64_SPLAT, [3, 0]), set(CV));
  emit(get(SPTR), simd(V128_LOAD64_SPLAT, [3, 0]), set(SV));
  for (let q = 0; q < 4; q++) {
    // next = column j+1; column j = c·carry + s·next; carry = c·next − s·carry
    emit(get(P), get(LD), [Op.I32Add], simd(V128_LOAD, [3, 16 * q]), set(NEXT[q]!));
    emit(get(P), get(CV), get(CARRY[q]!), simd(F64X2_MUL), get(SV), get(NEXT[q]!), simd(F64X2_MUL), simd(F64X2_ADD), simd(V128_STORE, [3, 16 * q]));
    emit(get(CV), get(NEXT[q]!), simd(F64X2_MUL), get(SV), get(CARRY[q]!), simd(F64X2_MUL), simd(F64X2_SUB), set(CARRY[q]!));
  }
  emit(get(P), get(LD), [Op.I32Add], set(P));
  emit(get(CPTR), i32(8), [Op.I32Add], set(CPTR), get(SPTR), i32(8), [Op.I32Add], set(SPTR));
  emit(get(J), i32(1), [Op.I32Add], set(J));
  emit([Op.Br, 0, Op.End, Op.End]);
  for (let q = 0; q < 4; q++) emit(get(P), get(CARRY[q]!), simd(V128_STORE, [3, 16 * q]));
  emit(get(STRIP), i32(64), [Op.I32Add], set(STRIP));
  emit([Op.Br, 0, Op.End, Op.End]);
  const locals = vector([
    [5, 0x7f],
    [10, 0x7b],
  ]);
  const body = [...locals, ...code, Op.End];
  return [...unsignedLeb(body.length), ...body];
}

/** A small helper to write function bodies: locals by index, structured loops, and SIMD ops. */
class Body {
  readonly code: number[] = [];
  emit(...parts: (number | number[])[]): this {
    for (const part of parts) {
      if (typeof part === 'number') this.code.push(part);
      else this.code.push(...part);
    }
    return this;
  }
  get(i: number): this {
    return this.emit(Op.LocalGet, i);
  }
  set(i: number): this {
    return this.emit(Op.LocalSet, i);
  }
  i32(v: number): this {
    return this.emit(Op.I32Const, signedLeb(v));
  }
  simd(op: number[], memarg?: [number, number]): this {
    return this.emit(Op.SimdPrefix, op, memarg ? [...unsignedLeb(memarg[0]), ...unsignedLeb(memarg[1])] : []);
  }
  mem(op: Op, offset = 0): this {
    return this.emit(op, 3, unsignedLeb(offset));
  }
  /** local[i] += delta (i32). */
  bump(i: number, delta: number | number[]): this {
    this.get(i);
    if (typeof delta === 'number') this.i32(delta);
    else this.emit(delta);
    return this.emit(Op.I32Add).set(i);
  }
  /** A loop that runs while `condition` (code leaving an i32) holds; `body` writes its body. */
  whileLoop(condition: () => void, body: () => void): this {
    this.emit(Op.Block, Op.VoidBlockType, Op.Loop, Op.VoidBlockType);
    condition();
    this.emit(Op.I32Eqz, Op.BrIf, 1);
    body();
    return this.emit(Op.Br, 0, Op.End, Op.End);
  }
  finish(locals: [number, number][]): number[] {
    const body = [...vector(locals.map(([count, type]) => [...unsignedLeb(count), type])), ...this.code, Op.End];
    return [...unsignedLeb(body.length), ...body];
  }
}

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

/**
 * `reflect(a, ldBytes, lenBytes, cols, u, u0)`: for each of `cols` columns x of a column-major
 * block (first column at byte offset a, columns ldBytes apart, lenBytes long), x ← x + t·u with
 * t = −(uᵀx)/u0: a Householder reflector applied to the columns right of it. The dot product keeps
 * four partial sums (of the entries at i mod 4) added as (s0 + s1) + (s2 + s3), the tail going
 * into s0, exactly as `dotStrided` (basic.ts) does, so results match the scalar loops bit for bit.
 */
function reflectBody(): number[] {
  const [A, LD, LEN, COLS, U, U0] = [0, 1, 2, 3, 4, 5];
  const [COL, I, S0, T] = [6, 7, 8, 9];
  const [ACC0, ACC1, TV] = [10, 11, 12];
  const b = new Body();
  const zero = (): Body => b.simd(V128_CONST).emit(new Array<number>(16).fill(0));
  b.get(A).set(COL);
  b.whileLoop(() => b.get(COLS), () => {
    zero().set(ACC0);
    zero().set(ACC1);
    b.i32(0).set(I);
    b.whileLoop(() => b.get(I).i32(32).emit(Op.I32Add).get(LEN).emit(Op.I32GtU, Op.I32Eqz), () => {
      for (const [acc, offset] of [[ACC0, 0], [ACC1, 16]] as const) {
        b.get(acc).get(U).get(I).emit(Op.I32Add).simd(V128_LOAD, [3, offset]);
        b.get(COL).get(I).emit(Op.I32Add).simd(V128_LOAD, [3, offset]);
        b.simd(F64X2_MUL).simd(F64X2_ADD).set(acc);
      }
      b.bump(I, 32);
    });
    b.get(ACC0).simd(F64X2_EXTRACT_LANE).emit(0).set(S0);
    b.whileLoop(() => b.get(I).get(LEN).emit(Op.I32LtU), () => {
      b.get(S0).get(U).get(I).emit(Op.I32Add).mem(Op.F64Load).get(COL).get(I).emit(Op.I32Add).mem(Op.F64Load);
      b.emit(Op.F64Mul, Op.F64Add).set(S0);
      b.bump(I, 8);
    });
    // t = −(((s0 + s1) + (s2 + s3)) / u0)
    b.get(S0).get(ACC0).simd(F64X2_EXTRACT_LANE).emit(1).emit(Op.F64Add);
    b.get(ACC1).simd(F64X2_EXTRACT_LANE).emit(0).get(ACC1).simd(F64X2_EXTRACT_LANE).emit(1).emit(Op.F64Add);
    b.emit(Op.F64Add).get(U0).emit(Op.F64Div, Op.F64Neg).set(T);
    b.get(T).simd(F64X2_SPLAT).set(TV);
    b.i32(0).set(I);
    b.whileLoop(() => b.get(I).i32(32).emit(Op.I32Add).get(LEN).emit(Op.I32GtU, Op.I32Eqz), () => {
      for (const offset of [0, 16]) {
        b.get(COL).get(I).emit(Op.I32Add);
        b.get(COL).get(I).emit(Op.I32Add).simd(V128_LOAD, [3, offset]);
        b.get(TV).get(U).get(I).emit(Op.I32Add).simd(V128_LOAD, [3, offset]).simd(F64X2_MUL).simd(F64X2_ADD);
        b.simd(V128_STORE, [3, offset]);
      }
      b.bump(I, 32);
    });
    b.whileLoop(() => b.get(I).get(LEN).emit(Op.I32LtU), () => {
      b.get(COL).get(I).emit(Op.I32Add);
      b.get(COL).get(I).emit(Op.I32Add).mem(Op.F64Load);
      b.get(T).get(U).get(I).emit(Op.I32Add).mem(Op.F64Load).emit(Op.F64Mul, Op.F64Add);
      b.mem(Op.F64Store);
      b.bump(I, 8);
    });
    b.bump(COL, [Op.LocalGet, LD]);
    b.get(COLS).i32(1).emit(Op.I32Sub).set(COLS);
  });
  return b.finish([[2, I32], [2, F64], [3, V128]]);
}

/**
 * `combine(a, ldBytes, lenBytes, cols, coef, y, gather)`: with gather = 1, y ← y + ∑ⱼ coef[j]·xⱼ
 * over the columns xⱼ (a matrix-vector product, one column at a time); with gather = 0,
 * xⱼ ← xⱼ + coef[j]·y for every column (a rank-one update). Each entry gets one multiply and one
 * add per column, in column order, as the scalar loops do.
 */
function combineBody(): number[] {
  const [A, LD, LEN, COLS, COEF, Y, GATHER] = [0, 1, 2, 3, 4, 5, 6];
  const [COL, I, J] = [7, 8, 9];
  const [C] = [10];
  const [CV] = [11];
  const b = new Body();
  b.get(A).set(COL);
  b.i32(0).set(J);
  b.whileLoop(() => b.get(J).get(COLS).emit(Op.I32LtU), () => {
    b.get(COEF).get(J).i32(8).emit(Op.I32Mul, Op.I32Add).mem(Op.F64Load).set(C);
    b.get(C).simd(F64X2_SPLAT).set(CV);
    // The destination is y when gathering, the column otherwise; the other operand is scaled.
    const loop = (target: number, source: number): void => {
      b.i32(0).set(I);
      b.whileLoop(() => b.get(I).i32(32).emit(Op.I32Add).get(LEN).emit(Op.I32GtU, Op.I32Eqz), () => {
        for (const offset of [0, 16]) {
          b.get(target).get(I).emit(Op.I32Add);
          b.get(target).get(I).emit(Op.I32Add).simd(V128_LOAD, [3, offset]);
          b.get(CV).get(source).get(I).emit(Op.I32Add).simd(V128_LOAD, [3, offset]).simd(F64X2_MUL).simd(F64X2_ADD);
          b.simd(V128_STORE, [3, offset]);
        }
        b.bump(I, 32);
      });
      b.whileLoop(() => b.get(I).get(LEN).emit(Op.I32LtU), () => {
        b.get(target).get(I).emit(Op.I32Add);
        b.get(target).get(I).emit(Op.I32Add).mem(Op.F64Load);
        b.get(C).get(source).get(I).emit(Op.I32Add).mem(Op.F64Load).emit(Op.F64Mul, Op.F64Add);
        b.mem(Op.F64Store);
        b.bump(I, 8);
      });
    };
    b.get(GATHER).emit(Op.If, Op.VoidBlockType);
    loop(Y, COL);
    b.emit(Op.Else);
    loop(COL, Y);
    b.emit(Op.End);
    b.bump(COL, [Op.LocalGet, LD]);
    b.bump(J, 1);
  });
  return b.finish([[3, I32], [1, F64], [1, V128]]);
}

/**
 * `symv(a, ldBytes, len, v, p)`: p ← p + A·v for the symmetric len×len matrix whose lower triangle
 * is stored row-major at byte offset a (rows ldBytes apart), reading each stored entry once for two
 * rows, as BLAS dsymv does: row i gives p[i] its dot product with v and adds v[i]·row to p[0:i].
 */
function symvBody(): number[] {
  const [A, LD, LEN, V, P] = [0, 1, 2, 3, 4];
  const [I, ROW, J, END] = [5, 6, 7, 8];
  const [S, VI] = [9, 10];
  const [ACC0, ACC1, VIV, X] = [11, 12, 13, 14];
  const b = new Body();
  const zero = (): Body => b.simd(V128_CONST).emit(new Array<number>(16).fill(0));
  b.i32(0).set(I);
  b.whileLoop(() => b.get(I).get(LEN).emit(Op.I32LtU), () => {
    b.get(A).get(I).get(LD).emit(Op.I32Mul, Op.I32Add).set(ROW);
    b.get(I).i32(8).emit(Op.I32Mul).set(END);
    b.get(V).get(END).emit(Op.I32Add).mem(Op.F64Load).set(VI);
    b.get(VI).simd(F64X2_SPLAT).set(VIV);
    zero().set(ACC0);
    zero().set(ACC1);
    b.i32(0).set(J);
    b.whileLoop(() => b.get(J).i32(32).emit(Op.I32Add).get(END).emit(Op.I32GtU, Op.I32Eqz), () => {
      for (const [acc, offset] of [[ACC0, 0], [ACC1, 16]] as const) {
        b.get(ROW).get(J).emit(Op.I32Add).simd(V128_LOAD, [3, offset]).set(X);
        b.get(acc).get(X).get(V).get(J).emit(Op.I32Add).simd(V128_LOAD, [3, offset]).simd(F64X2_MUL).simd(F64X2_ADD).set(acc);
        b.get(P).get(J).emit(Op.I32Add);
        b.get(P).get(J).emit(Op.I32Add).simd(V128_LOAD, [3, offset]);
        b.get(X).get(VIV).simd(F64X2_MUL).simd(F64X2_ADD);
        b.simd(V128_STORE, [3, offset]);
      }
      b.bump(J, 32);
    });
    b.get(ACC0).simd(F64X2_EXTRACT_LANE).emit(0).get(ACC0).simd(F64X2_EXTRACT_LANE).emit(1).emit(Op.F64Add);
    b.get(ACC1).simd(F64X2_EXTRACT_LANE).emit(0).get(ACC1).simd(F64X2_EXTRACT_LANE).emit(1).emit(Op.F64Add);
    b.emit(Op.F64Add).set(S);
    b.whileLoop(() => b.get(J).get(END).emit(Op.I32LtU), () => {
      b.get(S).get(ROW).get(J).emit(Op.I32Add).mem(Op.F64Load).get(V).get(J).emit(Op.I32Add).mem(Op.F64Load).emit(Op.F64Mul, Op.F64Add).set(S);
      b.get(P).get(J).emit(Op.I32Add);
      b.get(P).get(J).emit(Op.I32Add).mem(Op.F64Load);
      b.get(ROW).get(J).emit(Op.I32Add).mem(Op.F64Load).get(VI).emit(Op.F64Mul, Op.F64Add);
      b.mem(Op.F64Store);
      b.bump(J, 8);
    });
    // p[i] += s + a[i][i]·v[i]
    b.get(P).get(END).emit(Op.I32Add);
    b.get(P).get(END).emit(Op.I32Add).mem(Op.F64Load);
    b.get(S).get(ROW).get(END).emit(Op.I32Add).mem(Op.F64Load).get(VI).emit(Op.F64Mul, Op.F64Add, Op.F64Add);
    b.mem(Op.F64Store);
    b.bump(I, 1);
  });
  return b.finish([[4, I32], [2, F64], [4, V128]]);
}

/**
 * `syr2(a, ldBytes, len, v, w)`: A ← A − v·wᵀ − w·vᵀ on the lower triangle of a symmetric matrix
 * stored row-major at byte offset a: entry (i, j ≤ i) loses v[i]·w[j] + w[i]·v[j], formed and
 * rounded in that order as the scalar loop does.
 */
function syr2Body(): number[] {
  const [A, LD, LEN, V, W] = [0, 1, 2, 3, 4];
  const [I, ROW, J, END] = [5, 6, 7, 8];
  const [VI, WI] = [9, 10];
  const [VIV, WIV] = [11, 12];
  const b = new Body();
  b.i32(0).set(I);
  b.whileLoop(() => b.get(I).get(LEN).emit(Op.I32LtU), () => {
    b.get(A).get(I).get(LD).emit(Op.I32Mul, Op.I32Add).set(ROW);
    b.get(I).i32(8).emit(Op.I32Mul).set(END);
    b.get(V).get(END).emit(Op.I32Add).mem(Op.F64Load).set(VI);
    b.get(W).get(END).emit(Op.I32Add).mem(Op.F64Load).set(WI);
    b.get(VI).simd(F64X2_SPLAT).set(VIV);
    b.get(WI).simd(F64X2_SPLAT).set(WIV);
    b.bump(END, 8); // entries 0 … i
    b.i32(0).set(J);
    b.whileLoop(() => b.get(J).i32(16).emit(Op.I32Add).get(END).emit(Op.I32GtU, Op.I32Eqz), () => {
      b.get(ROW).get(J).emit(Op.I32Add);
      b.get(ROW).get(J).emit(Op.I32Add).simd(V128_LOAD, [3, 0]);
      b.get(VIV).get(W).get(J).emit(Op.I32Add).simd(V128_LOAD, [3, 0]).simd(F64X2_MUL);
      b.get(WIV).get(V).get(J).emit(Op.I32Add).simd(V128_LOAD, [3, 0]).simd(F64X2_MUL).simd(F64X2_ADD);
      b.simd(F64X2_SUB).simd(V128_STORE, [3, 0]);
      b.bump(J, 16);
    });
    b.whileLoop(() => b.get(J).get(END).emit(Op.I32LtU), () => {
      b.get(ROW).get(J).emit(Op.I32Add);
      b.get(ROW).get(J).emit(Op.I32Add).mem(Op.F64Load);
      b.get(VI).get(W).get(J).emit(Op.I32Add).mem(Op.F64Load).emit(Op.F64Mul);
      b.get(WI).get(V).get(J).emit(Op.I32Add).mem(Op.F64Load).emit(Op.F64Mul, Op.F64Add);
      b.emit(Op.F64Sub).mem(Op.F64Store);
      b.bump(J, 8);
    });
    b.bump(I, 1);
  });
  return b.finish([[4, I32], [2, F64], [2, V128]]);
}

/** A name as WebAssembly encodes it: its length, then its (ASCII) characters. */
function name(text: string): number[] {
  return [...unsignedLeb(text.length), ...[...text].map((ch) => ch.charCodeAt(0))];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const i32t = 0x7f;
  const gemmType = [0x60, ...vector(Array.from({ length: 7 }, () => [i32t])), 0x00];
  const reflectType = [0x60, ...vector([[i32t], [i32t], [i32t], [i32t], [i32t], [F64]]), 0x00];
  const fiveType = [0x60, ...vector(Array.from({ length: 5 }, () => [i32t])), 0x00];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([gemmType, reflectType, fiveType])),
    ...section(3, vector([[0], [0], [1], [0], [2], [2]])),
    ...section(5, vector([[0x00, 1]])), // one memory, at least one page, no maximum
    ...section(7, vector([
      [...name('gemm'), 0x00, 0],
      [...name('rotate'), 0x00, 1],
      [...name('reflect'), 0x00, 2],
      [...name('combine'), 0x00, 3],
      [...name('symv'), 0x00, 4],
      [...name('syr2'), 0x00, 5],
      [...name('memory'), 0x02, 0],
    ])),
    ...section(10, vector([gemmBody(), rotateBody(), reflectBody(), combineBody(), symvBody(), syr2Body()])),
  ];
  return new Uint8Array(bytes);
}

interface Instance {
  readonly gemm: (ap: number, bp: number, c: number, rowPanels: number, colPanels: number, kc: number, ldcBytes: number) => void;
  readonly rotate: (x: number, ldBytes: number, rowsBytes: number, j0: number, j1: number, cs: number, sn: number) => void;
  readonly reflect: (a: number, ldBytes: number, lenBytes: number, cols: number, u: number, u0: number) => void;
  readonly combine: (a: number, ldBytes: number, lenBytes: number, cols: number, coef: number, y: number, gather: number) => void;
  readonly symv: (a: number, ldBytes: number, len: number, v: number, p: number) => void;
  readonly syr2: (a: number, ldBytes: number, len: number, v: number, w: number) => void;
  readonly memory: WebAssembly.Memory;
}

function instantiate(): Instance | undefined {
  try {
    if (typeof WebAssembly !== 'object') return undefined;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), {});
    const { gemm, rotate, reflect, combine, symv, syr2, memory } = instance.exports as unknown as Instance;
    return { gemm, rotate, reflect, combine, symv, syr2, memory };
  } catch {
    return undefined;
  }
}

let instance: Instance | undefined | null = null;

function kernelInstance(): Instance | undefined {
  if (instance === null) instance = instantiate();
  return instance;
}

/** Bytes of the three packed blocks: A (MC×KC), B (KC×NC) and C (MC×NC), rounded to 4. */
const A_BYTES = MC * KC * 8;
const B_BYTES = KC * NC * 8;
const C_BYTES = MC * NC * 8;

/**
 * C ← C + sign·A·B on sub-blocks of flat row-major arrays, with the same arguments as
 * `gemmUpdate` (basic.ts), through the SIMD kernel. Returns false (and does nothing) when
 * WebAssembly is unavailable, so the caller runs its scalar loops instead.
 *
 * The operands are copied block by block into the module's memory (B as 4-column panels, A as
 * 4-row panels, zero-padded to a multiple of 4; the padding only ever reaches padded entries of C,
 * which are not copied back), so the memory it needs is bounded by the block sizes.
 */
export function simdGemm(
  C: Float64Array, c0: number, ldc: number,
  A: Float64Array, a0: number, lda: number,
  B: Float64Array, b0: number, ldb: number,
  m: number, kk: number, n: number, sign: 1 | -1,
): boolean {
  const kernel = kernelInstance();
  if (!kernel) return false;
  const needed = A_BYTES + B_BYTES + C_BYTES;
  if (kernel.memory.buffer.byteLength < needed) {
    kernel.memory.grow(Math.ceil((needed - kernel.memory.buffer.byteLength) / 65536));
  }
  const heap = new Float64Array(kernel.memory.buffer);
  const aBase = 0;
  const bBase = A_BYTES / 8;
  const cBase = (A_BYTES + B_BYTES) / 8;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const colPanels = (nc + 3) >> 2;
    const ncPadded = colPanels * 4;
    for (let pc = 0; pc < kk; pc += KC) {
      const kc = Math.min(KC, kk - pc);
      // B[pc:pc+kc, jc:jc+nc] as panels of 4 columns, each row of a panel contiguous.
      for (let panel = 0; panel < colPanels; panel++) {
        const j = jc + panel * 4;
        const width = Math.min(4, jc + nc - j);
        let out = bBase + panel * kc * 4;
        for (let p = 0; p < kc; p++) {
          const row = b0 + (pc + p) * ldb + j;
          if (width === 4) {
            heap[out] = B[row]!;
            heap[out + 1] = B[row + 1]!;
            heap[out + 2] = B[row + 2]!;
            heap[out + 3] = B[row + 3]!;
          } else {
            for (let t = 0; t < 4; t++) heap[out + t] = t < width ? B[row + t]! : 0;
          }
          out += 4;
        }
      }
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const rowPanels = (mc + 3) >> 2;
        // A[ic:ic+mc, pc:pc+kc]·sign as panels of 4 rows, each column of a panel contiguous.
        for (let panel = 0; panel < rowPanels; panel++) {
          const i = ic + panel * 4;
          const height = Math.min(4, ic + mc - i);
          const out = aBase + panel * kc * 4;
          for (let t = 0; t < 4; t++) {
            if (t < height) {
              const row = a0 + (i + t) * lda + pc;
              for (let p = 0; p < kc; p++) heap[out + p * 4 + t] = sign * A[row + p]!;
            } else {
              for (let p = 0; p < kc; p++) heap[out + p * 4 + t] = 0;
            }
          }
        }
        for (let r = 0; r < mc; r++) {
          const from = c0 + (ic + r) * ldc + jc;
          heap.set(C.subarray(from, from + nc), cBase + r * ncPadded);
        }
        kernel.gemm(aBase * 8, bBase * 8, cBase * 8, rowPanels, colPanels, kc, ncPadded * 8);
        for (let r = 0; r < mc; r++) {
          const from = cBase + r * ncPadded;
          C.set(heap.subarray(from, from + nc), c0 + (ic + r) * ldc + jc);
        }
      }
    }
  }
  return true;
}

/** Bytes the product kernel's blocks occupy at the start of the memory; other work goes after them. */
const GEMM_BYTES = A_BYTES + B_BYTES + C_BYTES;

/**
 * Work space in the module's memory for the rotation kernel: `doubles` entries starting at
 * `base` (an index into `heap`, 64-byte aligned), or undefined when WebAssembly is unavailable or
 * the memory cannot grow that far. The view stays valid until the next call here or to
 * `simdGemm` (growing the memory replaces its buffer).
 */
export function simdWorkspace(doubles: number): { heap: Float64Array; base: number } | undefined {
  const kernel = kernelInstance();
  if (!kernel) return undefined;
  const needed = GEMM_BYTES + doubles * 8;
  try {
    if (kernel.memory.buffer.byteLength < needed) {
      kernel.memory.grow(Math.ceil((needed - kernel.memory.buffer.byteLength) / 65536));
    }
  } catch {
    return undefined;
  }
  return { heap: new Float64Array(kernel.memory.buffer), base: GEMM_BYTES / 8 };
}

/**
 * Applies a chain of plane rotations to the columns j0 … j1 of a column-major matrix held in the
 * work space (see `rotateBody` for the arithmetic): `x` is the index in the heap of its first
 * entry, `ld` its column stride, `rows` how many rows to rotate from there (multiples of 8, rows
 * past the matrix's own being padding), `cs` and `sn` the heap indices of the cosines and sines
 * (entry j for the rotation of j and j+1).
 */
export function simdRotate(x: number, ld: number, rows: number, j0: number, j1: number, cs: number, sn: number): void {
  const kernel = kernelInstance();
  if (!kernel) throw new Error('simdRotate: no WebAssembly (simdWorkspace returned undefined)');
  if (j1 > j0) kernel.rotate(x * 8, ld * 8, rows * 8, j0, j1, cs * 8, sn * 8);
}

/**
 * In the work space: for each of `cols` columns x (the first at heap index `a`, columns `ld`
 * apart, `len` entries long), x ← x − ((uᵀx)/u0)·u, with u at heap index `u`. The same arithmetic as
 * `dotStrided` followed by an axpy, bit for bit.
 */
export function simdReflect(a: number, ld: number, len: number, cols: number, u: number, u0: number): void {
  const kernel = kernelInstance();
  if (!kernel) throw new Error('simdReflect: no WebAssembly (simdWorkspace returned undefined)');
  if (cols > 0) kernel.reflect(a * 8, ld * 8, len * 8, cols, u * 8, u0);
}

/**
 * In the work space, over `cols` columns xⱼ (the first at heap index `a`, columns `ld` apart, `len`
 * entries long) and coefficients at heap index `coef`: when `gather`, y ← y + ∑ⱼ coef[j]·xⱼ;
 * otherwise xⱼ ← xⱼ + coef[j]·y for each j. y is at heap index `y`.
 */
export function simdCombine(a: number, ld: number, len: number, cols: number, coef: number, y: number, gather: boolean): void {
  const kernel = kernelInstance();
  if (!kernel) throw new Error('simdCombine: no WebAssembly (simdWorkspace returned undefined)');
  if (cols > 0 && len > 0) kernel.combine(a * 8, ld * 8, len * 8, cols, coef * 8, y * 8, gather ? 1 : 0);
}

/**
 * In the work space: p ← p + A·v for the symmetric len×len matrix whose lower triangle is stored
 * row-major from heap index `a` with row stride `ld` (v and p at heap indices `v`, `p`).
 */
export function simdSymv(a: number, ld: number, len: number, v: number, p: number): void {
  const kernel = kernelInstance();
  if (!kernel) throw new Error('simdSymv: no WebAssembly (simdWorkspace returned undefined)');
  if (len > 0) kernel.symv(a * 8, ld * 8, len, v * 8, p * 8);
}

/** In the work space: A ← A − v·wᵀ − w·vᵀ on the stored lower triangle (as `simdSymv` lays it out). */
export function simdSyr2(a: number, ld: number, len: number, v: number, w: number): void {
  const kernel = kernelInstance();
  if (!kernel) throw new Error('simdSyr2: no WebAssembly (simdWorkspace returned undefined)');
  if (len > 0) kernel.syr2(a * 8, ld * 8, len, v * 8, w * 8);
}

/** Above this size the module's memory is let go after use instead of kept for the next call. */
const KEEP_MEMORY_BYTES = 64 * 1024 * 1024;

/**
 * Lets the module (and its memory) be collected when a large problem grew its memory past
 * KEEP_MEMORY_BYTES: WebAssembly memory never shrinks, so otherwise one large SVD would hold its
 * work space for the life of the process. The next call instantiates a fresh module.
 */
export function simdReleaseLargeMemory(): void {
  if (instance && instance.memory.buffer.byteLength > KEEP_MEMORY_BYTES) instance = null;
}
