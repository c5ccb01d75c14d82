export type Query = Record<string, string | string[]>;

/**
 * Parses a URL query string ("?a=1&b=x+y") into a record.
 *
 * - A leading "?" is ignored. Pairs are separated by "&"; empty pairs ("a=1&&b=2", a trailing "&") are skipped.
 * - Only the first "=" of a pair separates the key from the value, so "t=a=b" gives t → "a=b";
 *   a pair without "=" ("flag") has the value "".
 * - In keys and values, "+" means a space, then percent escapes are decoded ("%20" and "+" are both a space,
 *   "%2B" is a "+", "%C3%A9" is "é"). A malformed escape ("%zz", "%E0%A4") throws a URIError.
 * - A key that appears once maps to its value (a string); a key that appears more than once maps to an array of
 *   all its values, in order. Any key is allowed, including names such as "constructor" or "toString".
 */
export function parseQuery(query: string): Query {
  throw new Error("not implemented");
}
