// The store: one SQLite database and the repositories over it.
import type { Database } from 'better-sqlite3';
import { openDatabase, openDatabaseReadOnly, type OpenOptions } from './db.js';
import { createConversations, type Conversations } from './conversations.js';
import { createMessages, type Messages } from './messages.js';
import { createSettings, type Settings } from './settings.js';
import { createModels, type Models } from './models.js';
import { createDownloads, type Downloads } from './downloads.js';
import { createDocuments, type Documents } from './documents.js';

export { createAnswerWriter, type AnswerWriter, type AnswerWriterOptions } from './answer-writer.js';
export type { OpenOptions, Conversations, Messages, Settings, Models, Downloads, Documents };
export type { ModelRecord, ModelSource } from './models.js';
export type { DownloadRecord, DownloadPatch } from './downloads.js';
export type { DocumentRecord, NewDocument, NewPassage, PassageRecord, DocumentStatus } from './documents.js';

export interface Store {
  db: Database;
  conversations: Conversations;
  messages: Messages;
  settings: Settings;
  models: Models;
  downloads: Downloads;
  documents: Documents;
  close(): void;
}

/** Opens the database file (creating and migrating it as needed). Throws AppError on failure. */
export function openStore(file: string, opts: OpenOptions = {}): Store {
  return storeOver(openDatabase(file, opts));
}

/** Opens an existing, up-to-date database for reading only (the disk is full); every write fails. */
export function openStoreReadOnly(file: string, opts: OpenOptions = {}): Store {
  return storeOver(openDatabaseReadOnly(file, opts));
}

function storeOver(db: Database): Store {
  return {
    db,
    conversations: createConversations(db),
    messages: createMessages(db),
    settings: createSettings(db),
    models: createModels(db),
    downloads: createDownloads(db),
    documents: createDocuments(db),
    close() {
      if (db.open) db.close();
    },
  };
}
