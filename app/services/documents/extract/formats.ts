// Which files can be read, by extension (or, for a few build files, by name).
import path from 'node:path';
import type { DocumentKind } from './types.js';
import { extractError } from './errors.js';

export interface Format {
  kind: DocumentKind;
  mime: string;
  /** For source code: the language, as shown to the model. */
  language?: string;
}

const BASIC: Record<string, Format> = {
  '.pdf': { kind: 'pdf', mime: 'application/pdf' },
  '.docx': { kind: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  '.txt': { kind: 'text', mime: 'text/plain' },
  '.text': { kind: 'text', mime: 'text/plain' },
  '.log': { kind: 'text', mime: 'text/plain' },
  '.rst': { kind: 'text', mime: 'text/x-rst' },
  '.md': { kind: 'markdown', mime: 'text/markdown' },
  '.markdown': { kind: 'markdown', mime: 'text/markdown' },
  '.html': { kind: 'html', mime: 'text/html' },
  '.htm': { kind: 'html', mime: 'text/html' },
  '.xhtml': { kind: 'html', mime: 'application/xhtml+xml' },
  '.csv': { kind: 'csv', mime: 'text/csv' },
  '.tsv': { kind: 'csv', mime: 'text/tab-separated-values' },
  '.json': { kind: 'json', mime: 'application/json' },
};

const CODE: Record<string, string> = {
  '.js': 'JavaScript', '.mjs': 'JavaScript', '.cjs': 'JavaScript', '.jsx': 'JavaScript (JSX)',
  '.ts': 'TypeScript', '.mts': 'TypeScript', '.cts': 'TypeScript', '.tsx': 'TypeScript (TSX)',
  '.py': 'Python', '.pyi': 'Python', '.rb': 'Ruby', '.go': 'Go', '.rs': 'Rust', '.java': 'Java',
  '.kt': 'Kotlin', '.kts': 'Kotlin', '.scala': 'Scala', '.swift': 'Swift', '.m': 'Objective-C',
  '.c': 'C', '.h': 'C', '.cc': 'C++', '.cpp': 'C++', '.cxx': 'C++', '.hpp': 'C++', '.hh': 'C++',
  '.cs': 'C#', '.fs': 'F#', '.php': 'PHP', '.pl': 'Perl', '.lua': 'Lua', '.r': 'R', '.jl': 'Julia',
  '.dart': 'Dart', '.hs': 'Haskell', '.ml': 'OCaml', '.clj': 'Clojure', '.ex': 'Elixir', '.exs': 'Elixir',
  '.erl': 'Erlang', '.zig': 'Zig', '.nim': 'Nim', '.sh': 'Shell', '.bash': 'Shell', '.zsh': 'Shell',
  '.fish': 'Shell', '.ps1': 'PowerShell', '.bat': 'Batch', '.sql': 'SQL', '.css': 'CSS', '.scss': 'SCSS',
  '.less': 'Less', '.vue': 'Vue', '.svelte': 'Svelte', '.xml': 'XML', '.yaml': 'YAML', '.yml': 'YAML',
  '.toml': 'TOML', '.ini': 'INI', '.cfg': 'INI', '.proto': 'Protocol Buffers', '.graphql': 'GraphQL',
  '.gradle': 'Gradle', '.cmake': 'CMake', '.tex': 'LaTeX',
};

const CODE_NAMES: Record<string, string> = { dockerfile: 'Dockerfile', makefile: 'Makefile', cmakelists: 'CMake' };

/** What to say about formats people often try. */
const HINTS: Record<string, string> = {
  '.doc': 'the old Word format: save it as .docx and attach that',
  '.rtf': 'save it as .docx or .txt and attach that',
  '.odt': 'save it as .docx and attach that',
  '.pages': 'export it as .docx or PDF and attach that',
  '.xlsx': 'save the sheet as .csv and attach that',
  '.xls': 'save the sheet as .csv and attach that',
};

export const SUPPORTED = [
  ...Object.keys(BASIC),
  ...Object.keys(CODE),
].sort();

export function describeSupported(): string {
  const main = ['.pdf', '.docx', '.txt', '.md', '.html', '.csv', '.json'];
  return `${main.join(', ')} and source code (${Object.keys(CODE).length} languages, e.g. .py, .ts, .go, .rs, .java, .c)`;
}

/** The format of a file by its name; throws ExtractError('unsupported') naming the alternatives. */
export function formatOf(name: string): Format {
  const ext = path.extname(name).toLowerCase();
  const basic = BASIC[ext];
  if (basic) return basic;
  const language = CODE[ext] ?? (ext === '' ? CODE_NAMES[path.basename(name).toLowerCase()] : undefined);
  if (language) return { kind: 'code', mime: `text/x-${language.toLowerCase().replace(/[^a-z0-9+#]+/g, '-')}`, language };
  const shown = ext || '(no extension)';
  const hint = HINTS[ext] ? ` (${HINTS[ext]})` : '';
  throw extractError('unsupported', name, `unsupported file type ${shown}${hint}; supported: ${describeSupported()}`);
}
