// Models write display math in ways remark-math reads as inline (`$$x$$` on one line) or not at
// all (LaTeX's `\[x\]` and `\(x\)`). This rewrites them, outside code, into what it reads:
// `$$` fences for display math, `$x$` for inline math.

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

function inlineDelimiters(text: string): string {
  // Outside inline code spans only.
  return text
    .split(/(`+[^`]*`+)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\\\((.+?)\\\)/g, (_, m: string) => `$${m.trim()}$`)))
    .join('');
}

export function normalizeMath(source: string): string {
  if (!source.includes('$$') && !source.includes('\\[') && !source.includes('\\(')) return source;
  const out: string[] = [];
  let fence: string | null = null;
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = FENCE.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      out.push(line);
      continue;
    }
    if (marker) {
      fence = marker;
      out.push(line);
      continue;
    }
    const indent = /^\s*/.exec(line)![0];
    const trimmed = line.trim();
    // $$x$$ or \[x\] alone on a line: a display block.
    const single = /^\$\$(.+)\$\$$/.exec(trimmed) ?? /^\\\[(.+)\\\]$/.exec(trimmed);
    if (single) {
      out.push(`${indent}$$`, `${indent}${single[1]!.trim()}`, `${indent}$$`);
      continue;
    }
    // \[ ... \] over several lines.
    if (trimmed === '\\[') {
      const end = lines.findIndex((l, j) => j > i && l.trim() === '\\]');
      if (end !== -1) {
        out.push(`${indent}$$`, ...lines.slice(i + 1, end), `${indent}$$`);
        i = end;
        continue;
      }
    }
    out.push(inlineDelimiters(line));
  }
  return out.join('\n');
}
