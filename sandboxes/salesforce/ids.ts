/**
 * Salesforce record ids: 15 case-sensitive characters (a 3-character key prefix naming the object,
 * then the pod and the record number) plus a 3-character suffix that makes the id case-insensitive
 * (each suffix character encodes which of 5 characters are upper case). 18-character ids are what
 * the REST API answers.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** The sandbox's "pod" and reserved characters, between the key prefix and the record number. */
const INSTANCE = '5g00000';

export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** The 18-character id of record number `sequence` of the object with `keyPrefix`. */
export function salesforceId(keyPrefix: string, sequence: number): string {
  let number = '';
  let n = sequence;
  for (let i = 0; i < 5; i++) {
    number = BASE62.charAt(n % 62) + number;
    n = Math.floor(n / 62);
  }
  const id15 = `${keyPrefix}${INSTANCE}${number}`;
  return id15 + caseSafeSuffix(id15);
}

/** True for a well-formed 15- or 18-character id (with a correct suffix). */
export function isSalesforceId(value: string): boolean {
  if (!/^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/.test(value)) return false;
  return value.length === 15 || caseSafeSuffix(value.slice(0, 15)) === value.slice(15);
}

/** The 18-character form of a 15- or 18-character id. */
export function toId18(value: string): string {
  return value.length === 15 ? value + caseSafeSuffix(value) : value;
}
