/**
 * LaTeX-like input of Unicode symbols, as Julia's REPL and editors offer it: typing `\alpha` and
 * accepting the completion gives `α`. Accents (`\hat`, `\bar`, `\tilde`, `\dot`, …) are combining
 * characters, so they land on the letter before them (`β\hat` → `β̂`). Superscripts and subscripts
 * come both in Julia's spelling (`\^T`, `\_1`) and in the short one notes use (`^T`, `^-1`, `_1`).
 */

const GREEK: readonly (readonly [string, string])[] = [
  ['alpha', 'α'], ['beta', 'β'], ['gamma', 'γ'], ['delta', 'δ'], ['epsilon', 'ϵ'], ['varepsilon', 'ε'],
  ['zeta', 'ζ'], ['eta', 'η'], ['theta', 'θ'], ['vartheta', 'ϑ'], ['iota', 'ι'], ['kappa', 'κ'],
  ['lambda', 'λ'], ['mu', 'μ'], ['nu', 'ν'], ['xi', 'ξ'], ['omicron', 'ο'], ['pi', 'π'], ['varpi', 'ϖ'],
  ['rho', 'ρ'], ['varrho', 'ϱ'], ['sigma', 'σ'], ['varsigma', 'ς'], ['tau', 'τ'], ['upsilon', 'υ'],
  ['phi', 'ϕ'], ['varphi', 'φ'], ['chi', 'χ'], ['psi', 'ψ'], ['omega', 'ω'],
  ['Alpha', 'Α'], ['Beta', 'Β'], ['Gamma', 'Γ'], ['Delta', 'Δ'], ['Epsilon', 'Ε'], ['Zeta', 'Ζ'],
  ['Eta', 'Η'], ['Theta', 'Θ'], ['Iota', 'Ι'], ['Kappa', 'Κ'], ['Lambda', 'Λ'], ['Mu', 'Μ'], ['Nu', 'Ν'],
  ['Xi', 'Ξ'], ['Omicron', 'Ο'], ['Pi', 'Π'], ['Rho', 'Ρ'], ['Sigma', 'Σ'], ['Tau', 'Τ'],
  ['Upsilon', 'Υ'], ['Phi', 'Φ'], ['Chi', 'Χ'], ['Psi', 'Ψ'], ['Omega', 'Ω'],
];

const OPERATORS: readonly (readonly [string, string])[] = [
  ['sum', '∑'], ['prod', '∏'], ['nabla', '∇'], ['partial', '∂'], ['cdot', '·'], ['odot', '⊙'],
  ['times', '×'], ['approx', '≈'], ['leq', '≤'], ['le', '≤'], ['geq', '≥'], ['ge', '≥'], ['neq', '≠'],
  ['ne', '≠'], ['sqrt', '√'], ['infty', '∞'], ['|', '‖'], ['Vert', '‖'], ['norm', '‖'], ['in', '∈'],
  ['to', '→'], ['rightarrow', '→'], ['mapsto', '↦'], ['pm', '±'], ['circ', '∘'], ['int', '∫'],
  ['otimes', '⊗'], ['oplus', '⊕'], ['ell', 'ℓ'], ['forall', '∀'], ['exists', '∃'], ['emptyset', '∅'],
  ['transpose', 'ᵀ'], ['inv', '⁻¹'], ['hbar', 'ℏ'], ['degree', '°'],
];

/** Combining accents: they follow the letter they decorate. */
const ACCENTS: readonly (readonly [string, string])[] = [
  ['hat', '\u0302'], ['bar', '\u0304'], ['tilde', '\u0303'], ['dot', '\u0307'], ['ddot', '\u0308'],
  ['vec', '\u20D7'], ['check', '\u030C'], ['acute', '\u0301'], ['grave', '\u0300'], ['breve', '\u0306'],
];

const SUPERSCRIPTS: readonly (readonly [string, string])[] = [
  ['0', '⁰'], ['1', '¹'], ['2', '²'], ['3', '³'], ['4', '⁴'], ['5', '⁵'], ['6', '⁶'], ['7', '⁷'], ['8', '⁸'],
  ['9', '⁹'], ['+', '⁺'], ['-', '⁻'], ['-1', '⁻¹'], ['T', 'ᵀ'], ['n', 'ⁿ'], ['i', 'ⁱ'],
];

const SUBSCRIPTS: readonly (readonly [string, string])[] = [
  ['0', '₀'], ['1', '₁'], ['2', '₂'], ['3', '₃'], ['4', '₄'], ['5', '₅'], ['6', '₆'], ['7', '₇'], ['8', '₈'],
  ['9', '₉'], ['+', '₊'], ['-', '₋'], ['a', 'ₐ'], ['e', 'ₑ'], ['h', 'ₕ'], ['i', 'ᵢ'], ['j', 'ⱼ'], ['k', 'ₖ'],
  ['l', 'ₗ'], ['m', 'ₘ'], ['n', 'ₙ'], ['o', 'ₒ'], ['p', 'ₚ'], ['r', 'ᵣ'], ['s', 'ₛ'], ['t', 'ₜ'], ['u', 'ᵤ'],
  ['v', 'ᵥ'], ['x', 'ₓ'],
];

/** One input sequence and what it becomes. */
export interface LatexSymbol {
  /** What is typed, backslash or `^`/`_` included: `\alpha`, `\hat`, `^T`, `\_1`. */
  readonly input: string;
  /** What replaces it. */
  readonly output: string;
  /** True for a combining accent (it decorates the character before it). */
  readonly combining: boolean;
}

function buildTable(): LatexSymbol[] {
  const table: LatexSymbol[] = [];
  for (const [name, symbol] of [...GREEK, ...OPERATORS]) table.push({ input: `\\${name}`, output: symbol, combining: false });
  for (const [name, symbol] of ACCENTS) table.push({ input: `\\${name}`, output: symbol, combining: true });
  for (const [key, symbol] of SUPERSCRIPTS) {
    table.push({ input: `\\^${key}`, output: symbol, combining: false });
    table.push({ input: `^${key}`, output: symbol, combining: false });
  }
  for (const [key, symbol] of SUBSCRIPTS) {
    table.push({ input: `\\_${key}`, output: symbol, combining: false });
    table.push({ input: `_${key}`, output: symbol, combining: false });
  }
  return table;
}

/** Every input sequence, backslash forms first. */
export const LATEX_SYMBOLS: readonly LatexSymbol[] = buildTable();

/**
 * The input sequence being typed just before the cursor (`\alp`, `\hat`, `^-`, `_1`), or undefined
 * when the text before the cursor does not end in one.
 */
export function latexPrefixBefore(linePrefix: string): string | undefined {
  const backslash = /\\(?:[A-Za-z]*|\||\^[-+]?[A-Za-z0-9]?1?|_[A-Za-z0-9+-]?)$/.exec(linePrefix);
  if (backslash) return backslash[0];
  const script = /[\^_](?:-1|[-+]|[A-Za-z0-9])?$/.exec(linePrefix);
  if (script) return script[0];
  return undefined;
}

/** The symbols whose input starts with the typed prefix. */
export function latexCandidates(prefix: string): LatexSymbol[] {
  return LATEX_SYMBOLS.filter((symbol) => symbol.input.startsWith(prefix));
}
