// `qwen2-desk <command>`: the project's command-line entry.
import { FlagError } from './flags.js';

const HELP = `Qwen2 Desk — run the Qwen2 model family on your own computer.

Usage: qwen2-desk <command> [options]

  start                    the desktop app (or, where Electron cannot start, the same app in your browser)
  serve [--port N] [--data DIR] [--threads N] [--backend auto|cuda|vulkan|metal|cpu]
                           the app for a browser on 127.0.0.1; prints the URL with its access token
  synth --preset tiny|qwen2-0.5b|qwen2-1.5b|qwen2-7b|qwen2-57b-a14b|qwen2-72b --arch qwen2|qwen2moe --out FILE
        [--type f32|f16|q8_0|q4_0] [--layers N] [--seed S]
                           write a synthetic Qwen2 GGUF (real shapes and tokenizer, random weights)
  models list|inspect FILE_OR_ID|pull URI|import FILE [--copy]|rm ID [--delete-file]  [--json] [--data DIR]
                           the model library: list, inspect a file's header, download (Ctrl-C pauses,
                           run again to resume), add a file, remove
  bench [--quick] [--only 1,4] [--models "0.5b q4_0"] [--threads N] [--rounds N] [--no-llama-cpp]
                           the benchmark: the app against bare node-llama-cpp and llama.cpp's own tools
  niah MODEL --lengths 1024,4096 [--depths 0,0.5,1] [--samples N] [--haystack FILE] [--lang en|zh] [--needles K] [--json]
                           the long-context test (needle in a haystack): which facts the model finds, by length and depth
  help                     this text
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'serve': {
        const { runServe } = await import('./host/serve.js');
        await runServe(args);
        return -1; // keeps running
      }
      case 'start': {
        const { startDesktopOrServe } = await import('./start.js');
        await startDesktopOrServe(args);
        return -1;
      }
      case 'models': {
        const { runModelsCommand } = await import('./commands/models.js');
        return await runModelsCommand(args);
      }
      case 'synth': {
        const { runSynthCommand } = await import('../native/gguf/synth-cli.js');
        return await runSynthCommand(args);
      }
      case 'niah': {
        const { runNiahCommand } = await import('./commands/niah.js');
        return await runNiahCommand(args);
      }
      case 'bench': {
        const { runBenchCommand } = await import('./commands/bench.js');
        return await runBenchCommand(args);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return 0;
      default:
        process.stderr.write(`Unknown command "${command}".\n\n${HELP}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof FlagError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`qwen2-desk ${command}: ${(error as Error).message}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
