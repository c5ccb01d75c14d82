/**
 * Compares two version strings made of dot-separated numbers ("1.2.10"), segment by segment, numerically.
 * Missing segments count as 0, so "1.2" equals "1.2.0". Returns -1 if a < b, 0 if they are equal, 1 if a > b.
 * Throws a TypeError if a segment is not a non-negative integer written in digits ("1.x", "1..2", "-1", "").
 * @param {string} a
 * @param {string} b
 * @returns {-1 | 0 | 1}
 */
export function compareVersions(a, b) {
  const pa = segments(a);
  const pb = segments(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** @param {string} version */
function segments(version) {
  return version.split(".").map((s) => {
    if (!/^\d+$/.test(s)) throw new TypeError(`invalid version: ${JSON.stringify(version)}`);
    return s;
  });
}

/** A sorted copy of `versions`, lowest first. @param {string[]} versions */
export function sortVersions(versions) {
  return [...versions].sort(compareVersions);
}
