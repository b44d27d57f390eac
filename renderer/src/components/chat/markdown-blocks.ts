// Splits a streaming answer into finished Markdown blocks and the block still being written, so
// each frame parses only the last block (a 8,000-character answer took ~39 ms per full parse,
// ~80 % of a core at one frame per 50 ms). A block ends at a blank line outside code fences and
// $$ math, where the next line starts a new top-level block (not an indented continuation, not the
// next item of the same list). Once the answer is finished it is parsed whole, once.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])(\s|$)/;
const BLANK = /^\s*$/;

export interface StreamingBlocks {
  /** Blocks that later text cannot change. */
  done: string[];
  /** The block still being written (may be empty). */
  tail: string;
}

export function splitStreamingBlocks(text: string): StreamingBlocks {
  const lines = text.split('\n');
  const done: string[] = [];
  let start = 0; // first line of the current block
  let fence: string | null = null;
  let math = false;
  let blockIsList = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i === start) blockIsList = LIST_ITEM.test(line);
    if (fence !== null) {
      const close = FENCE.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length && line.trim() === close[1]) fence = null;
      continue;
    }
    if (math) {
      if (line.trim() === '$$') math = false;
      continue;
    }
    const open = FENCE.exec(line);
    if (open) {
      fence = open[1]!;
      continue;
    }
    if (line.trim() === '$$') {
      math = true;
      continue;
    }
    if (!BLANK.test(line)) continue;
    // A blank line: the block ends here if the next non-blank line (already written) starts a new one.
    let next = i + 1;
    while (next < lines.length && BLANK.test(lines[next]!)) next++;
    if (next >= lines.length) break; // nothing after it yet
    // The line after a list may still become its next item while it is being written.
    if (blockIsList && next === lines.length - 1) break;
    const following = lines[next]!;
    if (/^[ \t]/.test(following) || (blockIsList && LIST_ITEM.test(following))) {
      i = next - 1;
      continue;
    }
    done.push(lines.slice(start, i).join('\n'));
    start = next;
    i = next - 1;
  }
  return { done, tail: lines.slice(start).join('\n') };
}
