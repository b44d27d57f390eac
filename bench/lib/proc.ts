// Reads /proc (Linux) for what a process costs: CPU time per thread, peak memory, where threads ran.
import fs from 'node:fs';
import os from 'node:os';

const TICK_MS = 1000 / 100; // USER_HZ is 100 on every Linux we run on

export interface ThreadCpu {
  tid: number;
  name: string;
  cpuMs: number;
  /** The CPU it last ran on. */
  processor: number;
  /** Voluntary and involuntary context switches. */
  voluntary: number;
  involuntary: number;
}

export function threadCpu(pid: number): ThreadCpu[] {
  if (process.platform !== 'linux') return [];
  const out: ThreadCpu[] = [];
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      // fields after ')' start at index 3 (state): utime=14, stime=15, processor=39 (1-based in proc(5))
      const utime = Number(f[11]);
      const stime = Number(f[12]);
      const processor = Number(f[36]);
      const status = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      const voluntary = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const involuntary = Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
      out.push({ tid: Number(tid), name, cpuMs: (utime + stime) * TICK_MS, processor, voluntary, involuntary });
    } catch {
      // the thread ended while we read
    }
  }
  return out;
}

/** CPU milliseconds of a whole process (all threads, user + system). */
export function processCpuMs(pid: number): number {
  if (process.platform !== 'linux') return NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

/** Peak resident memory (VmHWM) and current (VmRSS), in bytes. */
export function memoryOf(pid: number): { peakBytes: number; rssBytes: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
    return { peakBytes: kb('VmHWM'), rssBytes: kb('VmRSS') };
  } catch {
    return { peakBytes: NaN, rssBytes: NaN };
  }
}

/** Differences of per-thread CPU between two samples, busiest first. */
export function threadCpuDelta(before: ThreadCpu[], after: ThreadCpu[]): ThreadCpu[] {
  const prev = new Map(before.map((t) => [t.tid, t]));
  return after
    .map((t) => {
      const p = prev.get(t.tid);
      return {
        ...t,
        cpuMs: t.cpuMs - (p?.cpuMs ?? 0),
        voluntary: t.voluntary - (p?.voluntary ?? 0),
        involuntary: t.involuntary - (p?.involuntary ?? 0),
      };
    })
    .sort((a, b) => b.cpuMs - a.cpuMs);
}

/** System-wide CPU busy fraction over an interval (other work on the machine: noise). */
export function systemCpuSample(): { busy: number; total: number } {
  const cpus = os.cpus();
  let busy = 0;
  let total = 0;
  for (const c of cpus) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}
