// The long-context test ("needle in a haystack") in the renderer: which model's test view is open,
// the stored runs (niah.list), the details of the runs on screen (cells and answers, niah.get), the
// latest progress of each run (niah.progress events), the estimate of the form's grid, the cell whose
// answers are open and the two runs being compared. ensureNiahEvents() subscribes to main's events
// once (the view calls it when it mounts).
import { create } from 'zustand';
import type { AppEvent, NiahEstimate, NiahRun, NiahRunDetail, NiahSpec, NiahTrial } from '../../app/contract.js';
import { getApi, guarded, messageOf, need } from './state.js';

export type NiahProgress = Extract<AppEvent, { type: 'niah.progress' }>;

export interface OpenCell {
  runId: string;
  length: number;
  depth: number;
  /** null while they are read. */
  trials: NiahTrial[] | null;
  error: string | null;
}

export interface EstimateState {
  /** The spec it was asked for (JSON), so that the form can tell a stale estimate. */
  key: string;
  result: NiahEstimate | null;
  error: string | null;
  busy: boolean;
}

export interface NiahState {
  /** The library model whose test view is open (by id), or null: the Models page itself. */
  modelId: string | null;
  runs: NiahRun[];
  listError: string | null;
  /** The run shown in full. */
  shownId: string | null;
  /** Runs with their cells, by id (the shown one and the compared ones). */
  details: Record<string, NiahRunDetail>;
  progress: Record<string, NiahProgress>;
  estimate: EstimateState | null;
  starting: boolean;
  startError: string | null;
  cell: OpenCell | null;
  /** Up to two runs picked for the side-by-side view. */
  compare: string[];
}

export const useNiah = create<NiahState>()(() => ({
  modelId: null,
  runs: [],
  listError: null,
  shownId: null,
  details: {},
  progress: {},
  estimate: null,
  starting: false,
  startError: null,
  cell: null,
  compare: [],
}));

const set = useNiah.setState;
const get = useNiah.getState;

let subscribed: (() => void) | null = null;

/** Subscribes to main's long-context events once (safe to call from every component). */
export function ensureNiahEvents(): void {
  if (subscribed) return;
  const api = getApi();
  if (api) subscribed = api.onEvent(onNiahEvent);
}

export function onNiahEvent(event: AppEvent): void {
  if (event.type !== 'niah.progress') return;
  set((s) => ({
    progress: { ...s.progress, [event.runId]: event },
    runs: s.runs.map((r) => (r.id === event.runId ? { ...r, status: event.status, done: event.done, total: event.total, correct: event.correct, error: event.error } : r)),
  }));
  const s = get();
  if (s.details[event.runId] || s.shownId === event.runId) void refreshDetail(event.runId);
  if (event.status !== 'running' || !s.runs.some((r) => r.id === event.runId)) void refreshRuns();
}

/** Opens the test view of a library model (and reads its runs). */
export function openNiah(modelId: string): void {
  set({ modelId, shownId: null, cell: null, compare: [], estimate: null, startError: null });
  ensureNiahEvents();
  void refreshRuns();
}

export function closeNiah(): void {
  set({ modelId: null, cell: null });
}

export async function refreshRuns(): Promise<void> {
  try {
    const runs = await need().call('niah.list', {});
    set({ runs: [...runs].sort((a, b) => b.createdAt - a.createdAt), listError: null });
  } catch (error) {
    set({ listError: messageOf(error) });
  }
}

// One niah.get per run at a time; an event while one is in flight asks for one more after it.
const inFlight = new Map<string, boolean>();

export async function refreshDetail(id: string): Promise<void> {
  if (inFlight.has(id)) {
    inFlight.set(id, true);
    return;
  }
  inFlight.set(id, false);
  try {
    for (;;) {
      const detail = await need().call('niah.get', { id });
      set((s) => ({ details: { ...s.details, [id]: detail } }));
      if (!inFlight.get(id)) break;
      inFlight.set(id, false);
    }
  } catch (error) {
    // A run deleted in the meantime has nothing left to show.
    set((s) => ({ listError: s.runs.some((r) => r.id === id) ? messageOf(error) : s.listError }));
  } finally {
    inFlight.delete(id);
  }
}

export function showRun(id: string | null): void {
  set({ shownId: id, cell: null });
  if (id) void refreshDetail(id);
}

/** The spec's estimate (cells, tokens after prefix reuse, time from the measured speed). */
export async function estimateRun(spec: NiahSpec): Promise<void> {
  const key = JSON.stringify(spec);
  set({ estimate: { key, result: null, error: null, busy: true } });
  try {
    const result = await need().call('niah.estimate', spec);
    if (get().estimate?.key === key) set({ estimate: { key, result, error: null, busy: false } });
  } catch (error) {
    if (get().estimate?.key === key) set({ estimate: { key, result: null, error: messageOf(error), busy: false } });
  }
}

/** Starts a run and shows it; returns whether it started. */
export async function startRun(spec: NiahSpec): Promise<boolean> {
  set({ starting: true, startError: null });
  try {
    const run = await need().call('niah.start', spec);
    set((s) => ({ starting: false, runs: [run, ...s.runs.filter((r) => r.id !== run.id)], shownId: run.id, cell: null }));
    void refreshDetail(run.id);
    return true;
  } catch (error) {
    set({ starting: false, startError: messageOf(error) });
    return false;
  }
}

function replaceRun(run: NiahRun): void {
  set((s) => ({ runs: s.runs.map((r) => (r.id === run.id ? run : r)) }));
  void refreshDetail(run.id);
}

export async function cancelRun(id: string): Promise<void> {
  const run = await guarded(() => need().call('niah.cancel', { id }));
  if (run) replaceRun(run);
}

export async function resumeRun(id: string): Promise<void> {
  const run = await guarded(() => need().call('niah.resume', { id }));
  if (run) replaceRun(run);
}

export async function deleteRun(id: string): Promise<void> {
  const done = await guarded(() => need().call('niah.delete', { id }));
  if (!done) return;
  set((s) => {
    const { [id]: _gone, ...details } = s.details;
    return {
      runs: s.runs.filter((r) => r.id !== id),
      details,
      shownId: s.shownId === id ? null : s.shownId,
      cell: s.cell?.runId === id ? null : s.cell,
      compare: s.compare.filter((c) => c !== id),
    };
  });
}

/** Picks a run for the side-by-side view (the oldest pick makes way for a third). */
export function toggleCompare(id: string): void {
  const picked = get().compare;
  const next = picked.includes(id) ? picked.filter((c) => c !== id) : [...picked, id].slice(-2);
  set({ compare: next });
  for (const c of next) if (!get().details[c]) void refreshDetail(c);
}

/** Opens one cell's answers (expected and given, per question). */
export async function openCell(runId: string, length: number, depth: number): Promise<void> {
  set({ cell: { runId, length, depth, trials: null, error: null } });
  const same = (c: OpenCell | null) => c?.runId === runId && c.length === length && c.depth === depth;
  try {
    const detail = await need().call('niah.get', { id: runId, length, depth });
    if (same(get().cell)) set({ cell: { runId, length, depth, trials: detail.trials, error: null } });
  } catch (error) {
    if (same(get().cell)) set({ cell: { runId, length, depth, trials: [], error: messageOf(error) } });
  }
}

export function closeCell(): void {
  set({ cell: null });
}

/** The cells as CSV from main, saved as a file. */
export async function exportCsv(id: string): Promise<void> {
  const file = await guarded(() => need().call('niah.exportCsv', { id }));
  if (file) saveFile(file.fileName, new Blob([file.csv], { type: 'text/csv;charset=utf-8' }));
}

/** Saves a blob through the browser's download (a link with a download name). */
export function saveFile(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function closeCompare(): void {
  set({ compare: [] });
}
