// The long-context test's runs: estimate, start (in the background, one at a time), cancel, resume,
// and the stored runs. A run asks its questions in the grid's order (grid.ts) so that the engine
// reuses each prompt's prefix from the one before, and keeps every answer with the engine's own
// counts of the prompt's tokens and of those it actually evaluated: the saving is measured, not assumed.
import { AppError, type NiahEstimate, type NiahEvent, type NiahRun, type NiahRunDetail, type NiahSpec } from '../../contract.js';
import type { Engine } from '../../engine.js';
import type { NiahRunRecord, NiahRuns } from '../../store/niah.js';
import { renderDocument, sizeHaystack, type PlacedFact } from './document.js';
import { estimateOf, loadKey, measureSpeed, questionParams, reuseModel, type Speed } from './estimate.js';
import { fillFact, isCorrect, keysFor } from './facts.js';
import { expectedEvaluated, factDepths } from './grid.js';
import { prepareRun, reopenRun, type PrepareDeps, type Prepared } from './prepare.js';
import type { RenderedQuestion } from './render.js';
import { csvExport, runDetail, runView } from './views.js';

const PROGRESS_EVERY_MS = 250;

export interface NiahDeps extends PrepareDeps {
  engine: Pick<Engine, 'generate' | 'countTokens'>;
  runs: NiahRuns;
  emit(event: NiahEvent): void;
}

interface Active {
  id: string;
  controller: AbortController;
  /** Set when the app closes: the run ends as interrupted (resumable) rather than cancelled. */
  closing: boolean;
  startedAt: number;
  finished: Promise<void>;
}

export class NiahRunner {
  private active: Active | null = null;
  /** Speeds measured in this session, per model and load. */
  private readonly speeds = new Map<string, Speed>();

  constructor(private readonly deps: NiahDeps) {}

  async estimate(spec: NiahSpec): Promise<NiahEstimate> {
    const prepared = await prepareRun(this.deps, spec);
    return this.estimateFor(prepared);
  }

  async start(spec: NiahSpec): Promise<NiahRun> {
    this.refuseWhileRunning();
    const prepared = await prepareRun(this.deps, spec);
    const estimate = await this.estimateFor(prepared);
    this.refuseWhileRunning();
    const { model } = prepared;
    const record = this.deps.runs.create({
      model: { path: model.path, name: model.name, architecture: model.architecture, quantisation: model.summary?.quantisation ?? null, nativeContext: model.summary?.contextLength ?? null },
      settings: prepared.settings,
      plan: prepared.plan,
      estimate: { seconds: estimate.seconds, evaluatedTokens: estimate.evaluatedTokens },
      total: prepared.order.length,
    });
    this.launch(record, prepared);
    return this.view(record.id);
  }

  async resume(id: string): Promise<NiahRun> {
    const record = this.record(id);
    if (this.active?.id === id || record.status === 'running') throw new AppError('busy', 'This run is running already.');
    if (record.status === 'done') throw new AppError('invalid_request', 'This run has finished; there is nothing to resume.');
    this.refuseWhileRunning();
    const prepared = await reopenRun(this.deps, record);
    this.refuseWhileRunning();
    this.deps.runs.setStatus(id, 'running');
    this.launch(this.record(id), prepared);
    return this.view(id);
  }

  /** Stops the run (the question being answered is dropped; resume asks it again). */
  async cancel(id: string): Promise<NiahRun> {
    this.record(id);
    const active = this.active;
    if (active?.id === id) {
      active.controller.abort();
      await active.finished;
    }
    return this.view(id);
  }

  list(): NiahRun[] {
    return this.deps.runs.list().map((r) => runView(r, this.deps.runs.trials(r.id), this.sittingMs(r.id)));
  }

  get(id: string, cell?: { length: number; depth: number }): NiahRunDetail {
    const record = this.record(id);
    const all = this.deps.runs.trials(id);
    return runDetail(record, all, cell ? this.deps.runs.trials(id, cell) : all, this.sittingMs(id));
  }

  async delete(id: string): Promise<{ deleted: true }> {
    this.record(id);
    if (this.active?.id === id) await this.cancel(id);
    this.deps.runs.delete(id);
    return { deleted: true };
  }

  exportCsv(id: string): { fileName: string; csv: string } {
    return csvExport(this.record(id), this.deps.runs.trials(id));
  }

  /** Ends the run in progress as interrupted (it can be resumed at the next start). */
  async close(): Promise<void> {
    const active = this.active;
    if (!active) return;
    active.closing = true;
    active.controller.abort();
    await active.finished;
  }

  private refuseWhileRunning(): void {
    if (this.active) throw new AppError('busy', 'A long-context test is running; cancel it or wait for it to finish first.');
  }

  private record(id: string): NiahRunRecord {
    const record = this.deps.runs.get(id);
    if (!record) throw new AppError('not_found', `No long-context run ${id}.`);
    return record;
  }

  private view(id: string): NiahRun {
    return runView(this.record(id), this.deps.runs.trials(id), this.sittingMs(id));
  }

  private sittingMs(id: string): number {
    return this.active?.id === id ? performance.now() - this.active.startedAt : 0;
  }

  private async estimateFor(p: Prepared): Promise<NiahEstimate> {
    const key = loadKey(p);
    const known = this.speeds.get(key);
    const speed = known ?? (await measureSpeed(this.deps.engine, p));
    if (!known) this.speeds.set(key, speed);
    return estimateOf(p, await reuseModel(this.deps.engine, p), speed, known ? 'previous' : 'measured');
  }

  private launch(record: NiahRunRecord, prepared: Prepared): void {
    const controller = new AbortController();
    const active: Active = { id: record.id, controller, closing: false, startedAt: performance.now(), finished: Promise.resolve() };
    this.active = active;
    active.finished = this.sitting(record, prepared, active).finally(() => {
      if (this.active === active) this.active = null;
    });
  }

  /** One sitting of a run: the questions not answered yet, in order, until the end, a cancel or a failure. */
  private async sitting(record: NiahRunRecord, p: Prepared, active: Active): Promise<void> {
    const { runs, engine, emit } = this.deps;
    const id = record.id;
    const signal = active.controller.signal;
    const answered = runs.answered(id);
    const reuse = await reuseModel(engine, p).catch(() => ({ headTokens: 60, questionTokens: 20 }));
    const expected = expectedEvaluated(p.order, reuse);
    let remainingTokens = p.order.reduce((sum, g, i) => sum + (answered.has(g.seq) ? 0 : expected[i]!), 0);
    let remaining = p.order.length - answered.size;
    let done = answered.size;
    let correct = runs.trials(id).filter((t) => t.correct).length;
    const measured = { evaluated: 0, prefillMs: 0, decodeMs: 0, count: 0 };
    const fallback = this.speeds.get(loadKey(p));
    let lastEmit = 0;
    const progress = (status: NiahEvent['status'], error: string | null = null, force = false) => {
      const now = performance.now();
      if (!force && now - lastEmit < PROGRESS_EVERY_MS) return;
      lastEmit = now;
      const rate = measured.prefillMs > 0 ? measured.evaluated / measured.prefillMs : fallback ? fallback.prefillTokensPerSecond / 1000 : null;
      const decodeMs = measured.count > 0 ? measured.decodeMs / measured.count : null;
      const etaMs = rate === null || decodeMs === null ? null : Math.round(remainingTokens / rate + remaining * decodeMs);
      emit({ type: 'niah.progress', runId: id, status, done, total: p.order.length, correct, etaMs: status === 'running' ? etaMs : 0, error });
    };

    const texts = new Map<number, string>();
    let doc: OneDocument | null = null;
    let status: NiahEvent['status'] = 'done';
    let error: string | null = null;
    try {
      progress('running', null, true);
      for (let i = 0; i < p.order.length; i++) {
        const g = p.order[i]!;
        if (answered.has(g.seq)) continue;
        if (signal.aborted) break;
        let text = texts.get(g.length);
        if (text === undefined) {
          const sample = placeFacts(p, 'sizing', factDepths(0.5, p.plan.facts.length));
          text = (await sizeHaystack(p.haystack, g.length, sample, (t) => engine.countTokens(p.model.path, t))).text;
          texts.set(g.length, text);
        }
        const key = `${g.length}|${g.depth}|${g.sample}`;
        let current = doc as OneDocument | null;
        if (current?.key !== key) {
          const placed = placeFacts(p, key, g.factDepths);
          current = { key, placed, rendered: await renderDocument(p.haystack, text, placed) };
          doc = current;
        }
        const question = current.rendered[g.fact]!;
        const wanted = current.placed[g.fact]!.fact.needle.answer;
        const began = performance.now();
        const outcome = await engine.generate(questionParams(p, question.systemPrompt, question.user, p.settings.maxTokens), { onDelta() {} }, signal);
        if (outcome.kind !== 'done') throw new Error(outcome.message);
        if (outcome.stopReason === 'abort') break;
        const s = outcome.stats;
        const ok = isCorrect(outcome.text, wanted);
        runs.addTrial(id, {
          seq: g.seq, length: g.length, depth: g.depth, sample: g.sample, fact: g.fact, factDepth: g.factDepths[g.fact]!,
          expected: wanted, answer: outcome.text, correct: ok,
          promptTokens: outcome.debug?.promptTokensTotal ?? s.promptTokens, evaluatedTokens: s.promptTokens, answerTokens: s.tokens, ttftMs: s.timeToFirstTokenMs,
        });
        done++;
        remaining--;
        remainingTokens -= expected[i]!;
        if (ok) correct++;
        measured.evaluated += s.promptTokens;
        measured.prefillMs += s.timeToFirstTokenMs;
        measured.decodeMs += Math.max(0, performance.now() - began - s.timeToFirstTokenMs);
        measured.count++;
        // The first answer of a sitting is reported at once, the rest at most every PROGRESS_EVERY_MS.
        progress('running', null, measured.count === 1);
      }
      if (done < p.order.length) status = active.closing ? 'interrupted' : 'cancelled';
    } catch (e) {
      status = active.closing && signal.aborted ? 'interrupted' : 'failed';
      error = status === 'failed' ? ((e as Error)?.message ?? String(e)) : null;
    }
    runs.addElapsed(id, performance.now() - active.startedAt);
    runs.setStatus(id, status, error);
    // What this run measured is the best speed figure for the next estimate of the same load.
    if (measured.prefillMs > 0 && measured.count > 0) {
      const decodeTokens = runs.trials(id).slice(-measured.count).reduce((n, t) => n + Math.max(0, t.answerTokens - 1), 0);
      this.speeds.set(loadKey(p), {
        prefillTokensPerSecond: measured.evaluated / (measured.prefillMs / 1000),
        decodeTokensPerSecond: measured.decodeMs > 0 && decodeTokens > 0 ? decodeTokens / (measured.decodeMs / 1000) : (fallback?.decodeTokensPerSecond ?? 1),
      });
    }
    if (this.active === active) this.active = null;
    progress(status, error, true);
  }
}

/** The document being asked about: its place in the grid, its facts, one rendering per question. */
interface OneDocument {
  key: string;
  rendered: RenderedQuestion[];
  placed: PlacedFact[];
}

/** The facts of one document, their keys drawn for its place in the grid. */
function placeFacts(p: Prepared, where: string, depths: readonly number[]): PlacedFact[] {
  const keys = keysFor(p.plan.seed, where, p.plan.facts.length);
  return p.plan.facts.map((template, j) => ({ fact: fillFact(template, keys[j]!), depth: depths[j]! }));
}
