/**
 * A matrix-product micro-kernel in WebAssembly SIMD (two doubles per instruction), assembled here
 * from its bytes so the core stays a pure library with no build step and no binary file.
 *
 * Scalar JavaScript peaks at about two floating-point operations per cycle, so a matrix product in
 * plain typed-array loops stays 20–50× behind an optimized BLAS; the same loops on 128-bit vectors,
 * with a 4×4 block of C held in eight vector registers over packed panels of A and B, run several
 * times faster. Every product and sum is still formed in IEEE double precision (no fused
 * multiply-add), one k at a time in increasing order, so results match the scalar loops up to the
 * order of summation, and Inf/NaN propagate as they do there.
 *
 * Where WebAssembly is unavailable (or refuses the module), `simdGemm` is undefined and callers
 * keep their scalar loops.
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
  End = 0x0b,
  LocalGet = 0x20,
  LocalSet = 0x21,
  I32Const = 0x41,
  I32Eqz = 0x45,
  I32LtU = 0x49,
  I32Add = 0x6a,
  I32Sub = 0x6b,
  I32Mul = 0x6c,
  SimdPrefix = 0xfd,
  VoidBlockType = 0x40,
}

/** SIMD opcodes (after the 0xfd prefix), as unsigned LEB128 byte sequences. */
const V128_LOAD = [0x00];
const V128_LOAD64_SPLAT = [0x0a];
const V128_STORE = [0x0b];
const F64X2_ADD = [0xf0, 0x01];
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
function kernelBody(): number[] {
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

/** A name as WebAssembly encodes it: its length, then its (ASCII) characters. */
function name(text: string): number[] {
  return [...unsignedLeb(text.length), ...[...text].map((ch) => ch.charCodeAt(0))];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const i32t = 0x7f;
  const type = [0x60, ...vector([[i32t], [i32t], [i32t], [i32t], [i32t], [i32t], [i32t]]), 0x00];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([type])),
    ...section(3, vector([[0]])),
    ...section(5, vector([[0x00, 1]])), // one memory, at least one page, no maximum
    ...section(7, vector([
      [...name('gemm'), 0x00, 0],
      [...name('memory'), 0x02, 0],
    ])),
    ...section(10, vector([kernelBody()])),
  ];
  return new Uint8Array(bytes);
}

interface Instance {
  readonly gemm: (ap: number, bp: number, c: number, rowPanels: number, colPanels: number, kc: number, ldcBytes: number) => void;
  readonly memory: WebAssembly.Memory;
}

function instantiate(): Instance | undefined {
  try {
    if (typeof WebAssembly !== 'object') return undefined;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), {});
    const { gemm, memory } = instance.exports as unknown as Instance;
    return { gemm, memory };
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
