// The one definition of every request and event between the renderer and main, one module per
// domain under app/contract/ (each request's parameter schema next to its result type), gathered
// here. Main validates every request with these schemas before acting on it (parseRequest); the
// renderer imports only the types (and a few constants) from here.
export * from './contract/common.js';
export * from './contract/errors.js';
export * from './contract/app.js';
export * from './contract/conversations.js';
export * from './contract/chat.js';
export * from './contract/presets.js';
export * from './contract/settings.js';
export * from './contract/documents.js';
export * from './contract/models.js';
export * from './contract/downloads.js';
export * from './contract/engine.js';
export * from './contract/niah.js';
export * from './contract/requests.js';
export * from './contract/events.js';
export * from './contract/transport.js';
export type { MethodSpec } from './contract/method.js';
