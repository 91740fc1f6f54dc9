/**
 * Pure formatting shared by the object browser and `xrole ls`: sizes in human units, dates in UTC.
 * Imports nothing outside core/.
 */

const UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/** Bytes for people: "999 B", "1.2 KiB", "8.3 MiB" (binary units, one decimal). */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "?";
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // 1023.96 KiB would round to "1024.0 KiB": show the next unit instead.
  if (value >= 1023.95 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** "2024-03-02 10:00" in UTC; "" when unknown. */
export function formatModified(date: Date | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return "";
  return date.toISOString().slice(0, 16).replace("T", " ");
}

/** The part of `key` below `prefix` ("releases/2024/" under "releases/" → "2024/"). */
export function relativeName(key: string, prefix: string): string {
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}

/** The folder above `prefix` ("a/b/" → "a/", "a/" → ""), or undefined at the top. */
export function parentPrefix(prefix: string, delimiter = "/"): string | undefined {
  if (prefix === "") return undefined;
  const trimmed = prefix.endsWith(delimiter) ? prefix.slice(0, -delimiter.length) : prefix;
  const at = trimmed.lastIndexOf(delimiter);
  return at < 0 ? "" : trimmed.slice(0, at + delimiter.length);
}

/** "s3://bucket/prefix/". */
export function s3Url(bucket: string, prefix: string): string {
  return `s3://${bucket}/${prefix}`;
}
