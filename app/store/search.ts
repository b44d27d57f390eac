// Full-text search over every message: the FTS5 trigram index (messages_fts) finds terms of three
// or more characters, in any language; shorter terms (a two-character Chinese word, say) are
// matched with LIKE. Every term must occur. Snippets and match ranges are plain text.
// Conversation titles are searched too (before the messages): they are short and one per
// conversation, so they are matched in JS (any case, in any script) without an index.
import type { Database } from 'better-sqlite3';
import type { Message, SearchHit } from '../contract.js';

const SNIPPET_BEFORE = 60;
const SNIPPET_LENGTH = 200;

interface Row {
  id: string;
  conversation_id: string;
  role: Message['role'];
  content: string;
  created_at: number;
  title: string;
}

export type Search = ReturnType<typeof createSearch>;

/** The distinct whitespace-separated terms of a query. */
export function termsOf(query: string): string[] {
  return [...new Set(query.split(/\s+/u).filter(Boolean))];
}

const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const phrase = (term: string) => `"${term.replace(/"/g, '""')}"`;
const regexFor = (terms: string[]) => new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu');

/** Plain text around the first match, with the ranges of every match inside it. */
export function makeSnippet(content: string, terms: string[]): Pick<SearchHit, 'snippet' | 'ranges'> {
  const first = regexFor(terms).exec(content);
  let start = Math.max(0, (first?.index ?? 0) - SNIPPET_BEFORE);
  let end = Math.min(content.length, start + SNIPPET_LENGTH);
  // Never cut a surrogate pair in half.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(content[start] ?? '')) start--;
  if (end < content.length && /[\uDC00-\uDFFF]/.test(content[end] ?? '')) end++;
  const snippet = `${start > 0 ? '…' : ''}${content.slice(start, end).replace(/\s+/gu, ' ')}${end < content.length ? '…' : ''}`;
  const ranges: SearchHit['ranges'] = [];
  for (const m of snippet.matchAll(regexFor(terms))) {
    const range = { start: m.index, end: m.index + m[0].length };
    const last = ranges.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else ranges.push(range);
  }
  return { snippet, ranges };
}

export function createSearch(db: Database) {
  const columns = 'm.id, m.conversation_id, m.role, m.content, m.created_at, c.title';
  // Newest first by rowid, i.e. in the order messages were written: FTS5 walks its index backwards
  // and stops at the limit, where sorting by created_at had to sort every match (bench, 100,000
  // messages: English p95 ~100 ms -> 1.5 ms). Imported conversations count as written when imported.
  const order = (rowid: string) => `ORDER BY ${rowid} DESC LIMIT ?`;

  const titlesNewestFirst = db.prepare('SELECT id, title, updated_at FROM conversations ORDER BY updated_at DESC');

  return {
    /** Conversations whose title contains every term (most recently changed first), then messages that do, most recently written first. */
    messages(query: string, limit: number): SearchHit[] {
      const terms = termsOf(query.trim());
      if (terms.length === 0) return [];
      const titles = titleHits(terms, limit);
      return titles.length >= limit ? titles : [...titles, ...messageHits(terms, limit - titles.length)];
    },
  };

  function titleHits(terms: string[], limit: number): SearchHit[] {
    const folded = terms.map((t) => t.toLocaleLowerCase());
    const hits: SearchHit[] = [];
    for (const r of titlesNewestFirst.iterate() as IterableIterator<{ id: string; title: string; updated_at: number }>) {
      const title = r.title.toLocaleLowerCase();
      if (!folded.every((t) => title.includes(t))) continue;
      hits.push({
        kind: 'title', conversationId: r.id, conversationTitle: r.title, messageId: null, role: null, createdAt: r.updated_at,
        ...makeSnippet(r.title, terms),
      });
      if (hits.length >= limit) break;
    }
    return hits;
  }

  function messageHits(terms: string[], limit: number): SearchHit[] {
    const long = terms.filter((t) => [...t].length >= 3);
    const short = terms.filter((t) => [...t].length < 3);
    const likes = short.map(() => "m.content LIKE ? ESCAPE '\\'").join(' AND ');
    const params: unknown[] = [];
    let sql: string;
    if (long.length) {
      sql = `SELECT ${columns} FROM messages_fts f JOIN messages m ON m.rowid = f.rowid JOIN conversations c ON c.id = m.conversation_id
             WHERE messages_fts MATCH ? ${likes ? `AND ${likes}` : ''} ${order('f.rowid')}`;
      params.push(long.map(phrase).join(' AND '));
    } else {
      sql = `SELECT ${columns} FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE ${likes} ${order('m.rowid')}`;
    }
    params.push(...short.map(likePattern), limit);
    const rows = db.prepare(sql).all(...params) as Row[];
    return rows.map((r) => ({
      kind: 'message' as const,
      conversationId: r.conversation_id,
      conversationTitle: r.title,
      messageId: r.id,
      role: r.role,
      createdAt: r.created_at,
      ...makeSnippet(r.content, terms),
    }));
  }
}
