// Experiment only (bench/run.ts --coalesce MS): preloaded into the engine process, it merges the
// engine's delta messages and sends at most one per MS milliseconds (anything else flushes first,
// so order is kept). It was the prototype of the engine's own batching (native/engine/process/delta-batcher.ts,
// 50 ms); now it merges on top of that, to try longer windows. The engine's code is not changed.
const ms = Number(process.env.QWEN2_DESK_BENCH_COALESCE_MS || 0);
const original = process.send?.bind(process);
if (original && ms > 0) {
  let pending = null;
  let timer = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending) {
      const m = pending;
      pending = null;
      original(m);
    }
  };
  process.send = (message, ...rest) => {
    if (typeof message === 'object' && message !== null && message.type === 'delta') {
      if (pending && pending.requestId === message.requestId) pending.text += message.text;
      else {
        flush();
        pending = { ...message };
      }
      if (!timer) timer = setTimeout(flush, ms);
      return true;
    }
    flush();
    return original(message, ...rest);
  };
}
