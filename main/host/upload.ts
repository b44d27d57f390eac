// `PUT /api/import?token=…&name=file.gguf`: a browser cannot hand over a file path, so a dropped
// file is uploaded. The body streams to a hidden temporary file in the models folder (no size
// limit, never held in memory), is checked from its GGUF header, and only then appears under its
// name (atomic) as a 'copied' model. Any failure removes the temporary file.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { AppError } from '../../app/contract.js';
import { diskFullMessage, exists, freeBytes, isDiskFull, tempNameFor } from '../../app/services/disk.js';
import { fileNameProblem } from '../../app/services/downloads/uri.js';
import type { ModelLibrary } from '../../app/services/library.js';
import { headerProblem, parseSplitName } from '../../app/services/model-files.js';
import { declaredLength, receiveBody, refuseJson, refuseUnread, replyJson } from './upload-body.js';

/** The answer to another method than PUT. */
export function refuseImportMethod(req: http.IncomingMessage, res: http.ServerResponse): void {
  refuseUnread(req, res, 405, 'Upload a model with PUT.', { allow: 'PUT' });
}

export async function handleImport(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: Pick<URL, 'searchParams'>,
  library: Pick<ModelLibrary, 'folder' | 'place'>,
): Promise<void> {
  const name = url.searchParams.get('name') ?? '';
  const problem = fileNameProblem(name);
  if (problem) return refuseUnread(req, res, 400, `Cannot import: ${problem}.`);
  const folder = library.folder();
  const finalPath = path.join(folder, name);
  const declared = declaredLength(req);
  try {
    await fs.promises.mkdir(folder, { recursive: true });
    if (await exists(finalPath)) return refuseUnread(req, res, 409, `A file named ${name} is already in the models folder.`);
    const free = declared !== null ? await freeBytes(folder) : null;
    if (free !== null && declared !== null && free < declared) {
      return refuseUnread(req, res, 507, `Cannot import ${name}: ${diskFullMessage(declared - free)}.`);
    }
  } catch (error) {
    return refuseUnread(req, res, 500, `Cannot import ${name}: ${(error as Error).message}`);
  }

  const temp = tempNameFor(finalPath, 'upload');
  try {
    // A model has no size limit: a failed write cuts the connection rather than read gigabytes for nothing.
    await receiveBody(req, temp, { drainOnFailure: false });
    const split = parseSplitName(name);
    const bad = await headerProblem(temp, split ? split.index - 1 : 0, split?.count ?? 1);
    if (bad) throw new AppError('invalid_request', `${name} is not a usable GGUF: ${bad}`);
    const model = await library.place(temp, name, 'copied');
    replyJson(res, 200, model);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    if (error instanceof AppError) refuseJson(res, error.code === 'invalid_request' ? 400 : 409, error.message);
    else if (isDiskFull(error)) refuseJson(res, 507, `Cannot import ${name}: ${diskFullMessage(null)}; nothing was kept.`);
    else refuseJson(res, 400, `The upload of ${name} did not complete (${(error as Error).message}); nothing was kept.`);
  }
}
