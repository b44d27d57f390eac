// Part 3 — follow-ups on a long document: time to first token for (a) a first question after a
// long user message, (b) a follow-up in the same conversation (the engine's LlamaChat keeps the
// evaluated prefix), (c) reopening after an engine restart (needs a saved state: not built yet).
import { engineEntryFile } from '../../native/engine/entry.js';
import { forkLauncher } from '../../native/engine/fork-launcher.js';
import { EngineSupervisor, type GenerateOutcome } from '../../native/engine/supervisor.js';
import { nowMs } from '../lib/clock.js';
import type { Figures } from '../lib/report.js';
import { englishText } from '../lib/text.js';
import { SYSTEM_PROMPT, type ModelSpec } from './throughput.js';

const PART = '3 documents';

export async function runDocuments(
  figures: Figures,
  model: ModelSpec,
  o: { documentWords: number; contextSize: number; threads?: number },
  notes: string[],
  log: (s: string) => void,
): Promise<Record<string, unknown>> {
  const engine = new EngineSupervisor({ launcher: forkLauncher, entryFile: engineEntryFile(), backend: 'cpu', threads: o.threads });
  const ask = async (messages: Array<{ role: 'user' | 'assistant'; content: string }>) => {
    const started = nowMs();
    let first = 0;
    const { outcome } = engine.generate({
      modelPath: model.file,
      contextSize: o.contextSize,
      systemPrompt: SYSTEM_PROMPT,
      messages,
      sampling: { maxTokens: 16, temperature: 0 },
      onDelta: () => {
        if (!first) first = nowMs();
      },
    });
    const result: GenerateOutcome = await outcome;
    if (result.kind !== 'done') throw new Error(`document question failed: ${result.message}`);
    return { ttftMs: (first || nowMs()) - started, promptTokens: result.stats.promptTokens, text: result.text, engineTtftMs: result.stats.timeToFirstTokenMs };
  };
  try {
    await ask([{ role: 'user', content: 'Hello' }]); // start the engine and load the model at this context size
    const doc = englishText(o.documentWords, 4242);
    const q1 = `${doc}\n\nQuestion: what is this document about?`;
    log(`${model.label}: first question after a long document (${o.documentWords} words)`);
    const a = await ask([{ role: 'user', content: q1 }]);
    log(`${model.label}: follow-up`);
    const b = await ask([
      { role: 'user', content: q1 },
      { role: 'assistant', content: a.text },
      { role: 'user', content: 'And who is it written for?' },
    ]);
    const via = 'through the engine supervisor (the chat service asks for a 4096-token context: too small for this document)';
    figures.add(PART, `${model.label}: time to first token, first question after a ${a.promptTokens.toLocaleString('en')}-token message`, a.ttftMs, 'ms', null, `${(a.promptTokens / (a.ttftMs / 1000)).toFixed(0)} tok/s prefill; ${via}`);
    figures.add(PART, `${model.label}: time to first token, follow-up in the same conversation`, b.ttftMs, 'ms', null, `${b.promptTokens} tokens evaluated (the rest reused from the context): ${(a.ttftMs / b.ttftMs).toFixed(1)}× the speed of the first question`);
    figures.missing(PART, `${model.label}: time to first token, reopen after an engine restart`, 'not implemented: the engine saves no context state, so a restart evaluates the whole document again (≈ the first-question time)');
    notes.push('Document Q&A is not built yet: part 3 sends the document as one user message in a chat.');
    return { first: a, followUp: b, documentWords: o.documentWords, contextSize: o.contextSize };
  } finally {
    await engine.dispose();
  }
}
