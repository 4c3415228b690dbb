// The studies of the paper page (configs/paper/), in the order of the page.

/** The result a study reproduces: the shortcut paper (seeds/001) or one of its two companions. */
type PaperSource = "shortcut" | "label-noise" | "max-margin";

export interface PaperStudy {
  name: string;
  /** The claim of the shortcut paper it decides (SPEC §1), or null for the variants and companions. */
  claim: number | null;
  title: string;
  source: PaperSource;
  /** Whether its checks decide a verdict (false: descriptive, no pass/fail). */
  decides: boolean;
}

export const PAPER_STUDIES: readonly PaperStudy[] = [
  { name: "spurious-first", claim: 1, title: "Spurious first, exponentially fast", source: "shortcut", decides: true },
  { name: "suppression", claim: 2, title: "A stronger correlation suppresses the signal", source: "shortcut", decides: true },
  { name: "suppression-weak", claim: 2, title: "… at weak correlation, many seeds", source: "shortcut", decides: true },
  { name: "maximal-correlation", claim: 3, title: "λ = 1 dominates at XOR's sample complexity", source: "shortcut", decides: true },
  { name: "sample-complexity", claim: 3, title: "… at scale: d up to 8192, batch ∝ d", source: "shortcut", decides: true },
  { name: "sample-complexity-fixed", claim: 3, title: "… at fixed lr and batch, up to divergence", source: "shortcut", decides: false },
  { name: "constant-correlation", claim: 4, title: "Constant λ: XOR learned, shortcut kept", source: "shortcut", decides: true },
  { name: "variants", claim: null, title: "Variants (no pass/fail)", source: "shortcut", decides: false },
  { name: "linear-baseline", claim: null, title: "Label noise: a linear classifier is at chance", source: "label-noise", decides: true },
  { name: "label-noise", claim: null, title: "Label noise: test error near the noise rate; amplification", source: "label-noise", decides: true },
  { name: "max-margin", claim: null, title: "Max margin: leaky ReLU GD on symmetric data", source: "max-margin", decides: true },
  { name: "simplicity-bias", claim: null, title: "Simplicity bias: linear early, on unsymmetrised data", source: "max-margin", decides: true },
  { name: "shortcut-margin", claim: null, title: "Both, in the shortcut setting (no pass/fail)", source: "max-margin", decides: false },
];

/** `--only` names a study, or a group: `companions` (both companion results), `shortcut`. */
export function studiesNamed(names: readonly string[]): string[] {
  return names.flatMap((name) => {
    if (name === "companions") return PAPER_STUDIES.filter((s) => s.source !== "shortcut").map((s) => s.name);
    if (name === "shortcut") return PAPER_STUDIES.filter((s) => s.source === "shortcut").map((s) => s.name);
    return [name];
  });
}
