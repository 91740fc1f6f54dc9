/** Seeded randomness for the property tests of core/ and config/. */

/** A small seeded PRNG (mulberry32): the same seed gives the same cases on every run. */
export { seededRandom as mulberry32 } from "../../src/sim/random.ts";

const ALPHABET =
  "abcXYZ019 _-+=,.@:/[]#;=\t\r\n\"'\\\u0000\u00e9\u200b\ufeff\u{1F642}arn:aws:iam::role/";

/** A random string of length min..max drawn from characters that matter to our parsers. */
export function randomString(rand: () => number, min: number, max: number): string {
  const chars = Array.from(ALPHABET);
  const length = min + Math.floor(rand() * (max - min + 1));
  let out = "";
  for (let i = 0; i < length; i++) out += chars[Math.floor(rand() * chars.length)];
  return out;
}
