// Import of a JSON export: checked completely first (JSON, format and version, every field, the
// tree), then written in one transaction as a new conversation with new ids. A bad file gets a
// specific error and changes nothing.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppError } from '../contract.js';
import { insertConversation, type ImportedMessage } from '../store/import.js';
import { EXPORT_FORMAT, EXPORT_VERSION, ExportFile } from './conversation-format.js';

const refuse = (why: string) => new AppError('invalid_request', `This file cannot be imported: ${why}`);

/** Validates `content`; throws AppError('invalid_request') saying what is wrong and where. */
export function parseExport(content: string): ExportFile {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (error) {
    throw refuse(`it is not valid JSON (${(error as Error).message}).`);
  }
  const head = (raw ?? {}) as { format?: unknown; version?: unknown };
  if (typeof raw !== 'object' || raw === null || head.format !== EXPORT_FORMAT) {
    throw refuse(`it is not a Qwen2 Desk conversation export (expected "format": "${EXPORT_FORMAT}").`);
  }
  if (typeof head.version === 'number' && head.version > EXPORT_VERSION) {
    throw refuse(`it was exported by a newer version of Qwen2 Desk (format version ${head.version}; this version reads ${EXPORT_VERSION}).`);
  }
  const parsed = ExportFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
    throw refuse(`invalid value${where}: ${issue?.message ?? 'invalid'}.`);
  }
  checkTree(parsed.data);
  return parsed.data;
}

/** Unique ids; every parent comes before its children (so there are no cycles); the active leaf exists. */
function checkTree(file: ExportFile): void {
  const seen = new Set<string>();
  file.messages.forEach((m, i) => {
    if (seen.has(m.id)) throw refuse(`message ${i + 1} has the id "${m.id}" of an earlier message.`);
    if (m.parentId !== null && !seen.has(m.parentId)) {
      throw refuse(`message ${i + 1} follows "${m.parentId}", which is not a message before it in the file.`);
    }
    seen.add(m.id);
  });
  const leaf = file.conversation.activeLeafId;
  if (leaf !== null && !seen.has(leaf)) throw refuse(`the active branch ends at "${leaf}", which is not in the file.`);
}

/** Stores the validated file as a new conversation (new ids) and returns its id. */
export function importConversation(db: Database, content: string, now = Date.now()): string {
  const file = parseExport(content);
  const ids = new Map(file.messages.map((m) => [m.id, randomUUID()]));
  const newId = (old: string | null) => (old === null ? null : ids.get(old)!);
  const messages: ImportedMessage[] = file.messages.map((m) => ({
    ...m,
    id: newId(m.id)!,
    parentId: newId(m.parentId),
    // An answer that was being written when exported can no longer continue.
    status: m.status === 'streaming' ? 'interrupted' : m.status,
  }));
  const c = file.conversation;
  return insertConversation(db, { ...c, updatedAt: now, activeLeafId: newId(c.activeLeafId) }, messages);
}
