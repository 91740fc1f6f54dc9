/**
 * The text of one XML element from a small AWS answer, for the two requests xrole sends without
 * the SDK's parser (GetBucketLocation, the early GetCallerIdentity): their answers are one level
 * of plain elements, and anything unexpected sends the request back through the SDK.
 */

/** The five predefined XML entities decoded (AWS escapes nothing else in these answers). */
export function decodeXmlText(text: string): string {
  return text.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, e: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[e] ?? "",
  );
}

/** The decoded text of the first `<name>` element, or undefined when there is none. */
export function elementText(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`).exec(xml);
  return m ? decodeXmlText(m[1] ?? "") : undefined;
}
