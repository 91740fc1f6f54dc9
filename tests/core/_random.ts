/** Seeded randomness for the property tests of core/ and config/. */

/** A small seeded PRNG (mulberry32): the same seed gives the same cases on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
