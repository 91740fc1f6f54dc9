/** Small helpers shared by the simulator's protocol modules. */

/** Escape text for an XML element or attribute. */
export function xmlEscape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&apos;",
  );
}

/** `<name>escaped</name>` */
export function el(name: string, value: string | number | boolean): string {
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

const ALNUM_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Random text of `length` characters from `alphabet`. */
export function randomText(length: number, alphabet: string = ALNUM_UPPER): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export const ALPHABETS = { upper: ALNUM_UPPER, base64: B64 } as const;

/** AWS-style timestamp without milliseconds: 2024-01-02T03:04:05Z. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
