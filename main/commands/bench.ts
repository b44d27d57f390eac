// `qwen2-desk bench [--quick] ...`: the benchmark of issue 6 (bench/run.ts), from the CLI.
export async function runBenchCommand(args: string[]): Promise<number> {
  const { runBench } = await import('../../bench/run.js');
  return runBench(args);
}
