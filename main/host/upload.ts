// `PUT /api/import?token=…&name=file.gguf`: a browser cannot hand over a file path, so a dropped
// file is uploaded. The body streams to a hidden temporary file in the models folder (no size
// limit, never held in memory), is checked from its GGUF header, and only then appears under its
// name (atomic) as a 'copied' model. Any failure removes the temporary file.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../app/contract.js';
import { diskFullMessage, exists, freeBytes, isDiskFull, tempNameFor } from '../../app/services/disk.js';
import { fileNameProblem } from '../../app/services/downloads/uri.js';
import type { ModelLibrary } from '../../app/services/library.js';
import { headerProblem, parseSplitName } from '../../app/services/model-files.js';

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const refuse = (res: http.ServerResponse, status: number, message: string) => reply(res, status, { error: { message } });

export async function handleImport(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: Pick<URL, 'searchParams'>,
  library: Pick<ModelLibrary, 'folder' | 'place'>,
): Promise<void> {
  if (req.method !== 'PUT') {
    res.setHeader('allow', 'PUT');
    refuse(res, 405, 'Upload a model with PUT.');
    req.resume();
    return;
  }
  const name = url.searchParams.get('name') ?? '';
  const problem = fileNameProblem(name);
  if (problem) {
    req.resume();
    refuse(res, 400, `Cannot import: ${problem}.`);
    return;
  }
  const folder = library.folder();
  const finalPath = path.join(folder, name);
  const declared = Number(req.headers['content-length'] ?? NaN);
  try {
    await fs.promises.mkdir(folder, { recursive: true });
    if (await exists(finalPath)) {
      req.resume();
      refuse(res, 409, `A file named ${name} is already in the models folder.`);
      return;
    }
    const free = Number.isFinite(declared) ? await freeBytes(folder) : null;
    if (free !== null && free < declared) {
      req.resume();
      refuse(res, 507, `Cannot import ${name}: ${diskFullMessage(declared - free)}.`);
      return;
    }
  } catch (error) {
    req.resume();
    refuse(res, 500, `Cannot import ${name}: ${(error as Error).message}`);
    return;
  }

  const temp = tempNameFor(finalPath, 'upload');
  try {
    await pipeline(req, fs.createWriteStream(temp, { flags: 'wx' }));
    const split = parseSplitName(name);
    const bad = await headerProblem(temp, split ? split.index - 1 : 0, split?.count ?? 1);
    if (bad) throw new AppError('invalid_request', `${name} is not a usable GGUF: ${bad}`);
    const model = await library.place(temp, name, 'copied');
    reply(res, 200, model);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    if (error instanceof AppError) refuse(res, error.code === 'invalid_request' ? 400 : 409, error.message);
    else if (isDiskFull(error)) refuse(res, 507, `Cannot import ${name}: ${diskFullMessage(null)}; nothing was kept.`);
    else refuse(res, 400, `The upload of ${name} did not complete (${(error as Error).message}); nothing was kept.`);
  }
}
