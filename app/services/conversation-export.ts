// Export of one conversation: Markdown (the active branch, for reading) or JSON (the whole tree
// and the settings, for import; see conversation-format.ts).
import type { Conversation, ExportedConversation, Message } from '../contract.js';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportFile } from './conversation-format.js';

/** A file name from the title, safe on every platform. */
export function fileNameFor(title: string, extension: string): string {
  const base = title.replace(/[\\/:*?"<>|\u0000-\u001f]/gu, '-').replace(/\s+/gu, ' ').trim().replace(/^\.+/, '').slice(0, 80).trim();
  return `${base || 'conversation'}.${extension}`;
}

/** All messages (every branch) in the order they were written, parents first. */
export function toJson(conversation: Conversation, messages: readonly Message[], now = Date.now()): ExportedConversation {
  const file: ExportFile = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now,
    conversation: {
      title: conversation.title,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      pinned: conversation.pinned,
      settings: conversation.settings,
      activeLeafId: conversation.activeLeafId,
    },
    messages: messages.map((m) => ({
      id: m.id,
      parentId: m.parentId ?? null,
      role: m.role,
      content: m.content,
      status: m.status,
      error: m.error,
      model: m.model,
      createdAt: m.createdAt,
      stats: m.stats,
      droppedMessages: m.droppedMessages ?? 0,
      sampling: m.sampling ?? null,
    })),
  };
  return { fileName: fileNameFor(conversation.title, 'json'), mimeType: 'application/json', content: `${JSON.stringify(file, null, 2)}\n` };
}

const who = (m: Message) => (m.role === 'user' ? 'You' : m.role === 'system' ? 'System' : `Assistant${m.model ? ` (${m.model})` : ''}`);

/** The active branch as Markdown. */
export function toMarkdown(conversation: Conversation, branch: readonly Message[], totalMessages: number, now = Date.now()): ExportedConversation {
  const lines = [`# ${conversation.title}`, ''];
  const others = totalMessages - branch.length;
  lines.push(`_Exported from Qwen2 Desk on ${new Date(now).toISOString()}${others > 0 ? `; ${others} messages on other branches are only in the JSON export` : ''}._`, '');
  if (conversation.settings.systemPrompt?.trim()) lines.push('**System prompt:**', '', conversation.settings.systemPrompt.trim(), '');
  for (const m of branch) {
    if (m.droppedMessages) {
      const context = m.stats?.contextSize ? ` in the ${m.stats.contextSize.toLocaleString('en')}-token context` : '';
      lines.push(`_${m.droppedMessages} earlier messages no longer fit${context}._`, '');
    }
    lines.push(`## ${who(m)}`, '', m.content || '_(empty)_', '');
    if (m.status !== 'done') lines.push(`_(${m.status}${m.error ? `: ${m.error}` : ''})_`, '');
  }
  return { fileName: fileNameFor(conversation.title, 'md'), mimeType: 'text/markdown', content: lines.join('\n') };
}
