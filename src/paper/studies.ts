// The studies of the paper page (configs/paper/), in the order of the page.
export interface PaperStudy {
  name: string;
  /** The claim of the paper it decides (SPEC §1), or null for the variants. */
  claim: number | null;
  title: string;
}

export const PAPER_STUDIES: readonly PaperStudy[] = [
  { name: "spurious-first", claim: 1, title: "Spurious first, exponentially fast" },
  { name: "suppression", claim: 2, title: "A stronger correlation suppresses the signal" },
  { name: "suppression-weak", claim: 2, title: "… at weak correlation, many seeds" },
  { name: "maximal-correlation", claim: 3, title: "λ = 1 dominates at XOR's sample complexity" },
  { name: "constant-correlation", claim: 4, title: "Constant λ: XOR learned, shortcut kept" },
  { name: "variants", claim: null, title: "Variants (no pass/fail)" },
];
