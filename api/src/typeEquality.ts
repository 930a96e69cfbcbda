/**
 * True when `A` and `B` are the same type (not merely assignable either way). Used where a
 * hand-written type must stay next to the zod schema that documents it: `const check: TypesEqual<A,
 * B> = true` stops compiling as soon as the two drift apart.
 */
export type TypesEqual<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
