// Remembers where recent conversations' prompts started (how many old turns were left out), so a
// conversation that overflows its context keeps the same start for its next messages, and with it
// the evaluated prefix, also after the user switched to another conversation and back.
// A conversation is recognised by its system prompt and the first turn that was kept.
import type { ChatTurn } from '../shared/protocol.js';

interface Entry {
  systemPrompt: string;
  droppedTurns: number;
  firstKept: string;
}

export class FitMemory {
  private entries: Entry[] = [];

  constructor(private readonly size = 32) {}

  /** The start of this conversation's previous answer, if one is remembered. */
  keepFrom(systemPrompt: string, turns: readonly ChatTurn[]): number | undefined {
    let best: Entry | undefined;
    for (const e of this.entries) {
      if (continues(e, systemPrompt, turns) && (!best || e.droppedTurns > best.droppedTurns)) best = e;
    }
    return best?.droppedTurns;
  }

  remember(systemPrompt: string, turns: readonly ChatTurn[], droppedTurns: number): void {
    const firstKept = turns[droppedTurns]?.content ?? '';
    // The newest first; an entry this answer continues (same conversation, earlier start) is replaced.
    this.entries = [
      { systemPrompt, droppedTurns, firstKept },
      ...this.entries.filter((e) => !continues(e, systemPrompt, turns)),
    ].slice(0, this.size);
  }
}

/** Whether these turns continue the conversation the entry remembers. */
function continues(e: Entry, systemPrompt: string, turns: readonly ChatTurn[]): boolean {
  return e.systemPrompt === systemPrompt && turns[e.droppedTurns]?.content === e.firstKept;
}
