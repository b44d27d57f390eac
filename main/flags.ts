// A small, strict parser for `--name value` command-line flags.
type Kind = 'string' | 'number' | 'boolean';
type Parsed<S extends Record<string, Kind>> = {
  [K in keyof S]?: S[K] extends 'number' ? number : S[K] extends 'boolean' ? boolean : string;
};

export class FlagError extends Error {}

export function parseFlags<S extends Record<string, Kind>>(args: string[], spec: S): Parsed<S> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new FlagError(`Unexpected argument "${arg}".`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const kind = spec[name];
    if (!kind) throw new FlagError(`Unknown option --${name}. Options: ${Object.keys(spec).map((k) => `--${k}`).join(', ')}.`);
    if (kind === 'boolean') {
      out[name] = inline === undefined ? true : inline !== 'false';
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new FlagError(`--${name} needs a value.`);
    if (kind === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new FlagError(`--${name} must be a number, not "${value}".`);
      out[name] = n;
    } else out[name] = value;
  }
  return out as Parsed<S>;
}
