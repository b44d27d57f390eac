// How each answer used the conversation's documents (table answer_sources, schema version 6): the
// mode, the explanation, the suggested context and the citations map, so that the UI can show the
// mode banner and open [n] long after the answer was written. Removed with its message.
import type { Database } from 'better-sqlite3';
import type { AnswerSources } from '../../contract.js';

type Row = { message_id: string; conversation_id: string; created_at: number; data: string };
type Data = Omit<AnswerSources, 'messageId' | 'conversationId' | 'createdAt'>;

export type AnswerSourcesStore = ReturnType<typeof createAnswerSources>;

export function createAnswerSources(db: Database) {
  const q = {
    save: db.prepare<[string, string, number, string]>(
      'INSERT OR REPLACE INTO answer_sources (message_id, conversation_id, created_at, data) VALUES (?, ?, ?, ?)',
    ),
    get: db.prepare<[string], Row>('SELECT * FROM answer_sources WHERE message_id = ?'),
    list: db.prepare<[string], Row>('SELECT * FROM answer_sources WHERE conversation_id = ? ORDER BY created_at, rowid'),
  };
  const toSources = (r: Row): AnswerSources => ({
    ...(JSON.parse(r.data) as Data),
    messageId: r.message_id,
    conversationId: r.conversation_id,
    createdAt: r.created_at,
  });
  return {
    save(sources: AnswerSources): void {
      const { messageId, conversationId, createdAt, ...data } = sources;
      q.save.run(messageId, conversationId, createdAt, JSON.stringify(data));
    },
    get(messageId: string): AnswerSources | null {
      const row = q.get.get(messageId);
      return row ? toSources(row) : null;
    },
    list(conversationId: string): AnswerSources[] {
      return q.list.all(conversationId).map(toSources);
    },
  };
}
