/** A GGUF file that cannot be used; `reason` is a short human sentence saying why. */
export class GgufError extends Error {
  readonly reason: string;

  constructor(reason: string, path?: string) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'GgufError';
    this.reason = reason;
  }
}

/**
 * A string from a file, safe to put in a message: control bytes (and the replacement character of
 * invalid UTF-8) written as escapes, and cut to `max` characters.
 */
export function printable(text: string, max = 80): string {
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n++ >= max) return `${out}…`;
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0xfffd || (code >= 0x2028 && code <= 0x2029)) {
      out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return out;
}
