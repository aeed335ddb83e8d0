import type { FieldError } from '../../platform/records';

/**
 * Fields named inside a vendor's error text (Sage Intacct's description2, Sage 300's message): a
 * field counts when the text has its name as written (CREDITLIMIT, CustomerName) or its label in
 * any case ("Credit limit", "customer name") as a whole word. Each named field gets that text.
 */
export function fieldsMentioned(messages: string[], labels: Record<string, string>): FieldError[] {
  const found: FieldError[] = [];
  for (const message of messages) {
    for (const [field, label] of Object.entries(labels)) {
      if (found.some((f) => f.field === field)) continue;
      if (mentions(message, field, true) || mentions(message, label, false)) found.push({ field, message });
    }
  }
  return found;
}

/** Whether `text` has `word` as a whole word (not inside a longer name). */
function mentions(text: string, word: string, caseSensitive: boolean): boolean {
  if (word === '') return false;
  const haystack = caseSensitive ? text : text.toLowerCase();
  const needle = caseSensitive ? word : word.toLowerCase();
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + word.length])) return true;
  }
  return false;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

/** "CreditLimitCustomerCurrency" -> "Credit Limit Customer Currency": how messages often name a CamelCase property. */
export function labelOfCamelCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
}
