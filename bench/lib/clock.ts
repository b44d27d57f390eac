// One clock for every process of the benchmark: CLOCK_MONOTONIC (process.hrtime) is system-wide
// on Linux and macOS, so stamps taken in the engine process, main and the client compare directly.
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
