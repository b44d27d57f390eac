// `qwen2-desk models list|inspect|pull|import|rm`: the model library from the command line, through
// the same core (and so the same checks and SQLite library) as the app.
import fs from 'node:fs';
import path from 'node:path';
import type { LibraryModel, ModelFile } from '../../app/contract.js';
import { createCore, type Core } from '../../app/core.js';
import { defaultDataDir } from '../../app/paths.js';
import { partsOf, toModelSummary } from '../../app/services/model-files.js';
import { engineEntryFile } from '../../native/engine/main/entry.js';
import { forkLauncher } from '../../native/engine/main/fork-launcher.js';
import { GgufError } from '../../native/gguf/reader.js';
import { readGgufModel } from '../../native/gguf/split.js';
import { FlagError, parseFlags } from '../flags.js';
import { formatBytes } from '../../app/services/disk.js';
import { modelTable, modelText, summaryLines } from './format.js';
import { pull } from './models-pull.js';

export const MODELS_USAGE = `usage: qwen2-desk models <command> [--json] [--data DIR]
  list                          the models in the library (and why any cannot be used)
  inspect FILE_OR_ID            what a GGUF file's header says (any file), or a library model
  pull URI [--sha256 HEX]       download hf:Owner/Repo/file.gguf or an https URL (Ctrl-C pauses; run again to resume)
  import FILE [--copy]          add a GGUF file where it is (or copy it into the models folder)
  rm ID [--delete-file]         remove a model (with --delete-file also its file; never a referenced one's)`;

const FLAGS = { json: 'boolean', data: 'string', sha256: 'string', copy: 'boolean', 'delete-file': 'boolean' } as const;
const VALUE_FLAGS = new Set(['--data', '--sha256']);

function split(args: string[]): { positional: string[]; flags: ReturnType<typeof parseFlags<typeof FLAGS>> } {
  const positional: string[] = [];
  const flagArgs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) positional.push(a);
    else {
      flagArgs.push(a);
      if (VALUE_FLAGS.has(a) && i + 1 < args.length) flagArgs.push(args[++i]!);
    }
  }
  return { positional, flags: parseFlags(flagArgs, FLAGS) };
}

const print = (json: boolean, value: unknown, text: string) => process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text);

export async function runModelsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { positional, flags } = split(rest);
  const json = flags.json === true;
  const needs = (n: number, what: string) => {
    if (positional.length !== n) throw new FlagError(`qwen2-desk models ${sub} needs ${what}.\n\n${MODELS_USAGE}`);
  };
  switch (sub) {
    case 'list':
      needs(0, 'no other argument');
      return withCore(flags.data, async (call) => {
        const models = await call<LibraryModel[]>('models.list', {});
        print(json, models, modelTable(models));
        return 0;
      });
    case 'inspect': {
      needs(1, 'a file or a model id');
      const target = positional[0]!;
      if (fs.existsSync(target) && fs.statSync(target).isFile()) return inspectFile(target, json);
      return withCore(flags.data, async (call) => {
        const model = await call<LibraryModel>('models.inspect', { id: await findId(call, target) });
        print(json, model, modelText(model));
        return model.problem ? 1 : 0;
      });
    }
    case 'pull':
      needs(1, 'a URI (hf:Owner/Repo/file.gguf or an https URL)');
      return withCore(flags.data, (call, core) => pull(core, call, { uri: positional[0]!, sha256: flags.sha256, json }));
    case 'import':
      needs(1, 'a file');
      return withCore(flags.data, async (call) => {
        const model = await call<LibraryModel>('models.add', { path: path.resolve(positional[0]!), mode: flags.copy ? 'copy' : 'reference' });
        print(json, model, `Added ${model.name} (${model.source}) as model ${model.id}.\n`);
        return 0;
      });
    case 'rm':
      needs(1, 'a model id');
      return withCore(flags.data, async (call) => {
        const id = await findId(call, positional[0]!);
        await call('models.delete', { id, deleteFile: flags['delete-file'] === true });
        print(json, { deleted: true, id }, `Removed model ${id}${flags['delete-file'] ? ' (and its file, unless referenced)' : ''}.\n`);
        return 0;
      });
    case undefined:
    case 'help':
      process.stdout.write(`${MODELS_USAGE}\n`);
      return sub ? 0 : 2;
    default:
      throw new FlagError(`Unknown models command "${sub}".\n\n${MODELS_USAGE}`);
  }
}

type Call = <T>(method: string, params: unknown) => Promise<T>;

async function withCore(data: string | undefined, run: (call: Call, core: Core) => Promise<number>): Promise<number> {
  const dataDir = data ? path.resolve(data) : defaultDataDir();
  const core = await createCore({ dataDir, launcher: forkLauncher, engineEntry: engineEntryFile() });
  const call: Call = async <T>(method: string, params: unknown) => {
    const response = await core.handle(method, params);
    if (!response.ok) throw new Error(response.error.message);
    return response.result as T;
  };
  try {
    return await run(call, core);
  } finally {
    await core.close();
  }
}

/** A model id from an id, its first 8 characters (as `list` shows), a file name or a path. */
async function findId(call: Call, key: string): Promise<string> {
  const models = await call<LibraryModel[]>('models.list', {});
  const absolute = path.resolve(key);
  const found = models.filter((m) => m.id === key || (key.length >= 6 && m.id.startsWith(key)) || m.name === key || m.path === absolute);
  if (found.length === 1) return found[0]!.id;
  if (found.length > 1) throw new Error(`"${key}" matches ${found.length} models; use the full id.`);
  throw new Error(`No model "${key}" in the library (see \`qwen2-desk models list\`).`);
}

/**
 * The header of any file, without the library. Any part of a split model (`-0000k-of-0000N.gguf`)
 * stands for the whole model: every part is read, parameters and size are those of all parts.
 * Exit code 1 when it cannot be used.
 */
async function inspectFile(file: string, json: boolean): Promise<number> {
  const absolute = path.resolve(file);
  const parts = partsOf(absolute);
  const missing = parts.filter((p) => !fs.existsSync(p) || !fs.statSync(p).isFile());
  const sizeBytes = parts.reduce((sum, p) => sum + (missing.includes(p) ? 0 : fs.statSync(p).size), 0);
  const result: ModelFile & { parts: string[]; summary: ReturnType<typeof toModelSummary> | null } = {
    path: parts[0]!, name: path.basename(parts[0]!), parts, sizeBytes, architecture: null, problem: null, summary: null,
  };
  if (missing.length > 0) {
    result.problem = `${missing.length} of ${parts.length} parts of this split model are missing: ${missing.map((p) => path.basename(p)).join(', ')}`;
  } else {
    try {
      const model = await readGgufModel(parts);
      result.summary = toModelSummary(model.summary, model.sizeBytes);
      result.architecture = model.summary.architecture;
    } catch (error) {
      if (!(error instanceof GgufError)) throw error;
      result.problem = parts.length === 1 ? error.reason : error.message;
    }
  }
  const partLines = parts.length > 1 ? parts.slice(1).map((p) => `  ${''.padEnd(15)}${p}`) : [];
  const text = result.summary
    ? `${result.name}\n  ${'path:'.padEnd(15)}${result.path}\n${[...partLines, `  ${'size:'.padEnd(15)}${formatBytes(sizeBytes)}`].join('\n')}\n${summaryLines(result.summary).join('\n')}\n`
    : `${result.name} cannot be used: ${result.problem}\n`;
  print(json, result, text);
  return result.problem ? 1 : 0;
}
