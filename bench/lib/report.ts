// Every figure the benchmark prints: a value, its goal, and PASS / MISS (or "info" without a goal,
// "n/a" when it could not be measured, with the reason).
import fs from 'node:fs';
import path from 'node:path';
import type { MachineInfo } from './machine.js';

export type Verdict = 'PASS' | 'MISS' | 'info' | 'n/a';

export interface Figure {
  part: string;
  name: string;
  value: number | null;
  unit: string;
  goal: string | null;
  verdict: Verdict;
  note?: string;
}

export interface Goal {
  text: string;
  ok(value: number): boolean;
}

export const atLeast = (x: number, unit = ''): Goal => ({ text: `≥ ${x}${unit}`, ok: (v) => v >= x });
export const atMost = (x: number, unit = ''): Goal => ({ text: `< ${x}${unit}`, ok: (v) => v < x });

export class Figures {
  readonly list: Figure[] = [];

  add(part: string, name: string, value: number | null, unit: string, goal?: Goal | null, note?: string): Figure {
    let verdict: Verdict = 'info';
    if (value === null || !Number.isFinite(value)) verdict = 'n/a';
    else if (goal) verdict = goal.ok(value) ? 'PASS' : 'MISS';
    const f: Figure = { part, name, value: value === null || !Number.isFinite(value) ? null : value, unit, goal: goal?.text ?? null, verdict, note };
    this.list.push(f);
    const shown = f.value === null ? 'n/a' : `${format(f.value)}${unit ? ` ${unit}` : ''}`;
    console.log(`  ${verdict.padEnd(4)}  ${name}: ${shown}${goal ? `  (goal ${goal.text})` : ''}${note ? `  — ${note}` : ''}`);
    return f;
  }

  /** A figure that could not be measured, with why. */
  missing(part: string, name: string, why: string, goal?: Goal): Figure {
    const f: Figure = { part, name, value: null, unit: '', goal: goal?.text ?? null, verdict: 'n/a', note: why };
    this.list.push(f);
    console.log(`  n/a   ${name}: ${why}`);
    return f;
  }
}

export function format(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return v.toFixed(1);
  if (a >= 10) return v.toFixed(2);
  if (a >= 1) return v.toFixed(3);
  return v.toPrecision(3);
}

export interface RunRecord {
  startedAt: string;
  finishedAt: string;
  seconds: number;
  mode: 'quick' | 'full';
  machine: MachineInfo;
  settings: Record<string, unknown>;
  figures: Figure[];
  details: Record<string, unknown>;
  notes: string[];
}

export function markdown(run: RunRecord): string {
  const m = run.machine;
  const lines = [
    `# Qwen2 Desk benchmark — ${run.startedAt.slice(0, 10)} — ${m.slug}`,
    '',
    `${run.mode} run, ${run.seconds.toFixed(0)} s. ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}; ` +
      `load average ${m.loadAverage.toFixed(2)} at the start (anything above ~0.5 means other work shared the CPU and the figures are noisy).`,
    '',
    '| part | measure | value | goal | result |',
    '| --- | --- | ---: | --- | --- |',
  ];
  for (const f of run.figures) {
    const value = f.value === null ? 'n/a' : `${format(f.value)}${f.unit ? ` ${f.unit}` : ''}`;
    const note = f.note ? ` <br><sub>${escape(f.note)}</sub>` : '';
    lines.push(`| ${f.part} | ${escape(f.name)}${note} | ${value} | ${f.goal ? escape(f.goal) : ''} | ${f.verdict} |`);
  }
  const counts = run.figures.reduce<Record<string, number>>((acc, f) => ((acc[f.verdict] = (acc[f.verdict] ?? 0) + 1), acc), {});
  lines.push('', `PASS ${counts.PASS ?? 0}, MISS ${counts.MISS ?? 0}, info ${counts.info ?? 0}, n/a ${counts['n/a'] ?? 0}.`);
  if (run.notes.length) lines.push('', '## Notes', '', ...run.notes.map((n) => `- ${n}`));
  lines.push('', `Settings: \`${JSON.stringify(run.settings)}\``, '');
  return lines.join('\n');
}

function escape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Writes <date>-<machine>.json and .md, and latest.md, into `dir`; returns the paths. */
export function writeResults(dir: string, run: RunRecord): { json: string; md: string; latest: string } {
  fs.mkdirSync(dir, { recursive: true });
  const base = `${run.startedAt.slice(0, 10)}-${run.machine.slug}${run.mode === 'quick' ? '-quick' : ''}`;
  const json = path.join(dir, `${base}.json`);
  const md = path.join(dir, `${base}.md`);
  const latest = path.join(dir, run.mode === 'quick' ? 'latest-quick.md' : 'latest.md');
  const text = markdown(run);
  fs.writeFileSync(json, JSON.stringify(run, null, 2) + '\n');
  fs.writeFileSync(md, text);
  fs.writeFileSync(latest, text);
  return { json, md, latest };
}
