// The retired-instruction count. No per-instruction counter: the run loop already counts the
// slice down, so retired = base + (slice given - slice left). syncOut() publishes it as f64.

/** Instructions retired before the current slice. */
let base: i64 = 0;
/** Size of the current slice. */
let sliceSize: i32 = 0;

/** Start a slice of `n` instructions (the run loop counts `left` down from n). */
export function beginSlice(n: i32, left: i32): void {
  base += <i64>(sliceSize - left); // fold the previous slice's progress in
  sliceSize = n;
}
/** Instructions retired since reset, given how much of the current slice is left. */
export function retiredNow(left: i32): i64 { return base + <i64>(sliceSize - left); }
/** An instruction that exits before completing (IN to a host port) retires when it runs again. */
export function uncountRetired(): void { base--; }
export function resetRetired(left: i32): void { base = 0; sliceSize = left; }
