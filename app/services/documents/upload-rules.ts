// What an upload is refused for before its body is read (its name, its type, its conversation, its
// size), each with the reason the host turns into a status code and the sentence the user sees.
import { AppError } from '../../contract.js';
import { formatOf } from './extract/index.js';
import { formatMB } from './extract/errors.js';

/** Why an upload is refused: its name, its type, its conversation, or its size. */
export type UploadRefusal = 'bad_name' | 'unsupported' | 'no_conversation' | 'too_large';

/** An upload refused by the documents' rules; `reason` tells the host which answer to give. */
export class UploadRefused extends AppError {
  constructor(
    readonly reason: UploadRefusal,
    message: string,
  ) {
    super(reason === 'no_conversation' ? 'not_found' : 'invalid_request', message);
    this.name = 'UploadRefused';
  }
}

/** Refuses a name that cannot be a document's (empty, too long, a path) or whose type is not supported. */
export function checkUploadName(name: string): void {
  const problem = nameProblem(name);
  if (problem) throw new UploadRefused('bad_name', `Cannot add the document: ${problem}.`);
  try {
    formatOf(name);
  } catch (error) {
    throw new UploadRefused('unsupported', (error as Error).message);
  }
}

export const noConversation = (name: string) =>
  new UploadRefused('no_conversation', `Cannot add "${name}": the conversation does not exist (any more).`);

export const tooLarge = (name: string, maxBytes: number) =>
  new UploadRefused('too_large', `Cannot add "${name}": it is too large; the limit is ${formatMB(maxBytes)}.`);

function nameProblem(name: string): string | null {
  if (!name.trim()) return 'the file has no name';
  if (name.length > 255) return 'the file name is longer than 255 characters';
  if (/[/\\\0]/.test(name) || name === '.' || name === '..') return 'the file name may not contain a path';
  return null;
}
