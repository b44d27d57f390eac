// How the engine supervisor talks to the engine process, whatever started it:
// child_process.fork under Node (fork-launcher.ts) or Electron's utilityProcess (main/electron/utility-launcher.ts).
export interface EngineChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has ended, for any reason. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** llama.cpp's log lines (stderr of the engine process), where the launcher can capture them. */
  onLog?(listener: (text: string) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

/** Starts the engine process from its entry file (an absolute path to process/engine-process.ts or .js). */
export type EngineLauncher = (entryFile: string, env: Record<string, string>) => EngineChannel;
