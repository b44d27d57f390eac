/** A GGUF file that cannot be used; `reason` is a short human sentence saying why. */
export class GgufError extends Error {
  readonly reason: string;

  constructor(reason: string, path?: string) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'GgufError';
    this.reason = reason;
  }
}
