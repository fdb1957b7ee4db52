// The retired-instruction count, kept in a global (an i64 add per instruction) and published to
// the run page as f64 by syncOut().

/** Instructions retired since reset. */
export let retired: i64 = 0;
@inline export function countRetired(): void { retired++; }
/** An instruction that exits before completing (IN to a host port) retires when it runs again. */
export function uncountRetired(): void { retired--; }
export function resetRetired(): void { retired = 0; }
