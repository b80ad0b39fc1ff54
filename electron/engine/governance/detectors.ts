/**
 * Outbound (DLP) detectors for free text, such as streamed tokens, where no field path exists.
 * Each built-in data class has a detector; custom classes are guarded by field paths only.
 */

export type TextDetector = (text: string) => boolean;

const CARD_CANDIDATE = /\b(?:\d[ -]?){13,19}\b/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const US_SSN = /\b\d{3}-\d{2}-\d{4}\b/;
const SECRET = /\b(?:sk-[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{36}|-----BEGIN [A-Z ]*PRIVATE KEY-----)/;
const MEDICAL_RECORD = /\bMRN[:#\s]*\d{6,10}\b/i;

/** Luhn check, so order numbers and timestamps are not mistaken for card numbers. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(CARD_CANDIDATE)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return true;
  }
  return false;
}

export const TEXT_DETECTORS: Readonly<Record<string, TextDetector>> = {
  PCI: containsCardNumber,
  PII: (text) => EMAIL.test(text) || US_SSN.test(text),
  PHI: (text) => MEDICAL_RECORD.test(text),
  secret: (text) => SECRET.test(text),
};

/** Collects every string inside a value (depth-first), for detectors to scan. */
export function stringsIn(value: unknown, into: string[] = [], depth = 0): string[] {
  if (depth > 64) return into;
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) stringsIn(item, into, depth + 1);
  }
  return into;
}
