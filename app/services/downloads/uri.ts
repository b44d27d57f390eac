// What a download URI means: `hf:Owner/Repo/file.gguf` or `hf:Owner/Repo:file.gguf` (a file of a
// Hugging Face repository, main branch) or a plain http(s) URL; and the file name it will get.
import { AppError } from '../../contract.js';

export const DEFAULT_HF_BASE = 'https://huggingface.co';

export interface ResolvedSource {
  url: string;
  fileName: string;
}

const REPO_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

function bad(uri: string, why: string): AppError {
  return new AppError('invalid_request', `Cannot download "${uri}": ${why}.`);
}

/** A file name that is safe to create in the models folder, or the reason it is not. */
export function fileNameProblem(name: string): string | null {
  if (!name) return 'it names no file';
  if (/[\\/]/.test(name) || name === '.' || name === '..') return `"${name}" is not a plain file name`;
  if (name.startsWith('.')) return `"${name}" is a hidden file name`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return `"${name}" contains control characters`;
  if (Buffer.byteLength(name) > 255) return 'the file name is too long';
  if (!/\.gguf$/i.test(name)) return `"${name}" is not a .gguf file`;
  return null;
}

function huggingFace(uri: string, rest: string, base: string): ResolvedSource {
  let owner: string | undefined;
  let repo: string | undefined;
  let file: string[];
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    [owner, repo] = rest.slice(0, colon).split('/');
    if (rest.slice(0, colon).split('/').length !== 2) throw bad(uri, 'expected hf:Owner/Repo:file.gguf');
    file = rest.slice(colon + 1).split('/');
  } else {
    const segments = rest.split('/');
    if (segments.length < 3) throw bad(uri, 'expected hf:Owner/Repo/file.gguf');
    [owner, repo] = segments;
    file = segments.slice(2);
  }
  if (!owner || !REPO_PART.test(owner) || !repo || !REPO_PART.test(repo)) throw bad(uri, 'the repository must be Owner/Repo');
  if (file.some((s) => !s || s === '.' || s === '..')) throw bad(uri, 'the file path is not valid');
  const fileName = file[file.length - 1]!;
  const problem = fileNameProblem(fileName);
  if (problem) throw bad(uri, problem);
  const path = file.map(encodeURIComponent).join('/');
  return { url: `${base.replace(/\/+$/, '')}/${owner}/${repo}/resolve/main/${path}`, fileName };
}

export function resolveSource(uri: string, hfBase: string = DEFAULT_HF_BASE): ResolvedSource {
  const trimmed = uri.trim();
  if (trimmed.startsWith('hf:')) return huggingFace(uri, trimmed.slice(3).replace(/^\/+/, ''), hfBase);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw bad(uri, 'it is neither hf:Owner/Repo/file.gguf nor an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad(uri, `${url.protocol} URLs are not supported (use https)`);
  if (url.username || url.password) throw bad(uri, 'URLs with a user name or password are not supported');
  const last = url.pathname.split('/').pop() ?? '';
  let fileName: string;
  try {
    fileName = decodeURIComponent(last);
  } catch {
    throw bad(uri, 'the file name in the URL is not valid');
  }
  const problem = fileNameProblem(fileName);
  if (problem) throw bad(uri, problem);
  return { url: url.toString(), fileName };
}
