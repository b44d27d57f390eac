// Preloaded (--import, through NODE_OPTIONS) into the engine process by the benchmark's
// instrumented launcher only: stamps every delta the engine sends with the system-wide monotonic
// clock, so main can tell how long a token took from the engine to main. The engine's code is not
// changed; the supervisor ignores the extra field. Plain JavaScript: it loads before tsx does.
const original = process.send?.bind(process);
if (original) {
  process.send = (message, ...rest) => {
    if (typeof message === 'object' && message !== null && message.type === 'delta') {
      message.benchSentAt = Number(process.hrtime.bigint()) / 1e6;
    }
    return original(message, ...rest);
  };
}
