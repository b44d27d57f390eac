// Every event main sends to the renderer, assembled from the domains.
import type { AppInfoEvent } from './app.js';
import type { ChatEvent } from './chat.js';
import type { ConversationEvent } from './conversations.js';
import type { DocumentEvent } from './documents.js';
import type { DownloadEvent } from './downloads.js';
import type { EngineEvent } from './engine.js';
import type { ModelEvent } from './models.js';
import type { NiahEvent } from './niah.js';

export type AppEvent = ChatEvent | ConversationEvent | AppInfoEvent | DocumentEvent | EngineEvent | DownloadEvent | ModelEvent | NiahEvent;
