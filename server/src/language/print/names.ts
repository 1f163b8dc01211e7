/**
 * Mathnote names as KaTeX-compatible LaTeX.
 *
 * Conventions (chosen to match how the notes are typeset in textbooks):
 *  - a single letter is math italic (`x`), a Greek letter its command (`θ` → `\theta`);
 *  - combining accents wrap the letter they follow (`β̂` → `\hat{\beta}`, `x̄` → `\bar{x}`);
 *  - a subscript, written `x₁` or `x_1`, becomes `x_{1}`; a multi-letter subscript is upright
 *    (`β_ridge` → `\beta_{\mathrm{ridge}}`), and a single letter followed by digits is
 *    subscripted too (`q2` → `q_{2}`);
 *  - superscript digits at the end of a defined name (`σ²`) become `^{2}`;
 *  - a name of several letters is upright, `\mathrm{SSE}`, as multi-letter symbols are in print
 *    (math italic would read as a product S·S·E);
 *  - a name containing letters of other scripts (CJK, Cyrillic, …) is set as `\text{…}`.
 * Every character that is not a plain letter or digit is escaped, so no name can inject LaTeX.
 */

const greek: Record<string, string> = {
  α: '\\alpha', β: '\\beta', γ: '\\gamma', δ: '\\delta', ε: '\\varepsilon', ϵ: '\\epsilon', ζ: '\\zeta', η: '\\eta',
  θ: '\\theta', ϑ: '\\vartheta', ι: '\\iota', κ: '\\kappa', λ: '\\lambda', μ: '\\mu', ν: '\\nu', ξ: '\\xi', ο: 'o',
  π: '\\pi', ϖ: '\\varpi', ρ: '\\rho', ϱ: '\\varrho', σ: '\\sigma', ς: '\\varsigma', τ: '\\tau', υ: '\\upsilon',
  φ: '\\varphi', ϕ: '\\phi', χ: '\\chi', ψ: '\\psi', ω: '\\omega',
  Α: 'A', Β: 'B', Γ: '\\Gamma', Δ: '\\Delta', Ε: 'E', Ζ: 'Z', Η: 'H', Θ: '\\Theta', Ι: 'I', Κ: 'K', Λ: '\\Lambda',
  Μ: 'M', Ν: 'N', Ξ: '\\Xi', Ο: 'O', Π: '\\Pi', Ρ: 'P', Σ: '\\Sigma', Τ: 'T', Υ: '\\Upsilon', Φ: '\\Phi', Χ: 'X',
  Ψ: '\\Psi', Ω: '\\Omega', ℓ: '\\ell', ħ: '\\hbar', '∞': '\\infty',
};

/** Predefined constants spelled in ASCII that have a usual symbol. */
const namedConstants: Record<string, string> = { pi: '\\pi', Inf: '\\infty' };

const accents: Record<string, string> = {
  '\u0302': '\\hat', '\u0304': '\\bar', '\u0305': '\\bar', '\u0303': '\\tilde', '\u0307': '\\dot', '\u0308': '\\ddot',
  '\u20d7': '\\vec', '\u0301': '\\acute', '\u0300': '\\grave', '\u030c': '\\check', '\u0306': '\\breve',
};

const subscriptLetters: Record<string, string> = {
  '₀': '0', '₁': '1', '₂': '2', '₃': '3', '₄': '4', '₅': '5', '₆': '6', '₇': '7', '₈': '8', '₉': '9',
  ₐ: 'a', ₑ: 'e', ₒ: 'o', ₓ: 'x', ₔ: 'ə', ₕ: 'h', ₖ: 'k', ₗ: 'l', ₘ: 'm', ₙ: 'n', ₚ: 'p', ₛ: 's', ₜ: 't',
  ᵢ: 'i', ᵣ: 'r', ᵤ: 'u', ᵥ: 'v', ⱼ: 'j',
};

const superscripts: Record<string, string> = {
  '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁻': '-', '⁺': '+',
};

const textSpecials: Record<string, string> = {
  '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', $: '\\$', '&': '\\&', '#': '\\#', '%': '\\%', _: '\\_',
  '^': '\\textasciicircum{}', '~': '\\textasciitilde{}',
};

/** Escapes text for KaTeX's `\text{…}`: every character with a meaning to TeX becomes literal. */
export function escapeText(text: string): string {
  let out = '';
  for (const char of text) out += textSpecials[char] ?? (char === '\n' || char === '\r' ? ' ' : char);
  return out;
}

/** A letter with the accents written after it. */
interface Letter {
  readonly char: string;
  readonly accents: string[];
}

const latinOrGreek = /[\p{Script=Latin}\p{Script=Greek}]/u;
const combining = /\p{M}/u;

/** One character of a name in math mode, or undefined when it needs text mode. */
function mathChar(char: string): string | undefined {
  if (/^[A-Za-z0-9]$/.test(char)) return char;
  if (char === '_') return '\\_';
  return greek[char];
}

function accented(letter: Letter): string | undefined {
  const base = mathChar(letter.char);
  if (base === undefined) return undefined;
  let tex = base;
  for (const accent of letter.accents) {
    const command = accents[accent];
    if (!command) return undefined;
    tex = `${command}{${tex}}`;
  }
  return tex;
}

/** Decomposes precomposed Latin and Greek letters (`ŷ` → `y` + `̂`) into letters and accents. */
function letters(text: string): Letter[] {
  const result: Letter[] = [];
  for (const char of text) {
    const parts = latinOrGreek.test(char) ? char.normalize('NFD') : char;
    for (const part of parts) {
      if (combining.test(part) && result.length > 0) result[result.length - 1]!.accents.push(part);
      else result.push({ char: part, accents: [] });
    }
  }
  return result;
}

/** A run of letters in math mode: one letter as is, several upright; undefined if any needs text. */
function lettersToMath(text: string, multiLetter: 'mathrm' | 'plain'): string | undefined {
  const parts = letters(text).map(accented);
  if (parts.some((part) => part === undefined)) return undefined;
  // A control word followed by a letter needs a space (`\theta f`, not `\thetaf`, which is no command).
  const joined = (parts as string[]).reduce((tex, part) => tex + (/\\[a-zA-Z]+$/.test(tex) && /^[a-zA-Z]/.test(part) ? ' ' : '') + part, '');
  if (parts.length <= 1 || multiLetter === 'plain') return joined;
  return `\\mathrm{${joined}}`;
}

/** The LaTeX of a Mathnote name (see the module comment for the conventions). */
export function nameToLatex(name: string): string {
  if (name === '') return '';
  const constant = namedConstants[name];
  if (constant) return constant;
  const chars = [...name];
  // Trailing superscript digits of a defined name (`σ²`, `R²`).
  let supEnd = chars.length;
  while (supEnd > 1 && chars[supEnd - 1]! in superscripts) supEnd--;
  const superscript = chars.slice(supEnd).map((c) => superscripts[c]).join('');
  const body = chars.slice(0, supEnd);

  // The subscript starts at the first subscript character or at an underscore after the base.
  const split = body.findIndex((char, index) => char in subscriptLetters || (char === '_' && index > 0));
  let subscript = '';
  let base: string;
  if (split >= 0) {
    base = body.slice(0, split).join('');
    const rest = body.slice(split);
    if (rest[0] === '_') rest.shift();
    subscript = rest.map((char) => subscriptLetters[char] ?? char).join('');
  } else {
    base = body.join('');
    // A single letter followed by digits: `q2` reads as q₂.
    const match = /^(\p{L}\p{M}*)(\d+)$/u.exec(base);
    if (match) {
      base = match[1]!;
      subscript = match[2]!;
    }
  }

  let tex = lettersToMath(base, 'mathrm') ?? `\\text{${escapeText(base)}}`;
  if (subscript !== '') {
    const sub = /^\d+$/.test(subscript) ? subscript : (lettersToMath(subscript, 'mathrm') ?? `\\text{${escapeText(subscript)}}`);
    tex += `_{${sub}}`;
  }
  if (superscript !== '') tex += `^{${superscript}}`;
  return tex;
}

/** Whether a name's LaTeX carries a subscript or a superscript (so another needs braces). */
export function nameHasScripts(name: string): { sub: boolean; sup: boolean } {
  const tex = nameToLatex(name);
  return { sub: tex.includes('_{'), sup: tex.includes('^{') };
}
