// Branches: a conversation's messages form a tree (each message points to the one it follows).
// The active branch runs from a first message to the conversation's active leaf. Pages of a branch
// are read by walking up from a message with a recursive query, so a page costs O(limit), not
// O(conversation), and siblings come from the (conversation_id, parent_id, seq) index.
import type { Database } from 'better-sqlite3';
import { AppError, type BranchMessage, type Message, type MessagePage } from '../contract.js';
import { toMessage, type MessageRow, type Messages } from './messages.js';

/** Deeper than any conversation: stops a walk on a damaged (cyclic) tree. */
const MAX_DEPTH = 10_000_000;
/** Above this many messages, siblings come from one read of the conversation's tree, not a query each. */
const SIBLINGS_PER_QUERY = 200;

export type Tree = ReturnType<typeof createTree>;

export function createTree(db: Database, messages: Messages) {
  const q = {
    up: db.prepare<[{ start: string; cid: string; max: number }], MessageRow>(
      `WITH RECURSIVE up(id, parent_id, depth) AS (
         SELECT id, parent_id, 0 FROM messages WHERE id = @start AND conversation_id = @cid
         UNION ALL
         SELECT m.id, m.parent_id, up.depth + 1 FROM messages m JOIN up ON m.id = up.parent_id
         WHERE m.conversation_id = @cid AND up.depth + 1 < @max
       )
       SELECT m.* FROM up JOIN messages m ON m.id = up.id ORDER BY up.depth DESC`,
    ),
    links: db.prepare<[string], { id: string; parent_id: string | null }>(
      'SELECT id, parent_id FROM messages WHERE conversation_id = ? ORDER BY seq',
    ),
    siblings: db.prepare<[string, string | null], { id: string }>(
      'SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY seq',
    ),
    newestChild: db.prepare<[string, string], { id: string }>(
      'SELECT id FROM messages WHERE conversation_id = ? AND parent_id = ? ORDER BY seq DESC LIMIT 1',
    ),
    subtree: db.prepare<[{ root: string; cid: string }], { id: string }>(
      `WITH RECURSIVE down(id) AS (
         SELECT id FROM messages WHERE id = @root AND conversation_id = @cid
         UNION
         SELECT m.id FROM messages m JOIN down ON m.parent_id = down.id WHERE m.conversation_id = @cid
       )
       SELECT id FROM down`,
    ),
    delete: db.prepare('DELETE FROM messages WHERE id = ?'),
  };

  const must = (id: string): Message => {
    const found = messages.get(id);
    if (!found) throw new AppError('not_found', 'This message no longer exists.');
    return found;
  };

  /** The messages from the first one down to `id`, at most `max` of them (the last ones). */
  function path(conversationId: string, id: string, max = MAX_DEPTH): Message[] {
    return q.up.all({ start: id, cid: conversationId, max }).map(toMessage);
  }

  function withSiblings(list: Message[]): BranchMessage[] {
    let childrenOf: (parentId: string | null) => string[];
    if (list.length > SIBLINGS_PER_QUERY) {
      const children = new Map<string | null, string[]>();
      for (const link of q.links.all(list[0]!.conversationId)) {
        const ids = children.get(link.parent_id) ?? [];
        ids.push(link.id);
        children.set(link.parent_id, ids);
      }
      childrenOf = (parentId) => children.get(parentId) ?? [];
    } else {
      childrenOf = (parentId) => (list[0] ? q.siblings.all(list[0].conversationId, parentId).map((r) => r.id) : []);
    }
    return list.map((m) => {
      const parentId = m.parentId ?? null;
      const siblingIds = childrenOf(parentId);
      return { ...m, parentId, siblingIndex: Math.max(0, siblingIds.indexOf(m.id)), siblingCount: siblingIds.length, siblingIds };
    });
  }

  /** Follows the newest child down from `id` to a leaf. */
  function newestLeaf(conversationId: string, id: string): string {
    let leaf = id;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const child = q.newestChild.get(conversationId, leaf);
      if (!child) break;
      leaf = child.id;
    }
    return leaf;
  }

  return {
    /** A message with its sibling information. */
    branchMessage(id: string): BranchMessage {
      return withSiblings([must(id)])[0]!;
    },
    /** Every message from the first one down to `id` (inclusive), oldest first. */
    pathTo(id: string): Message[] {
      return path(must(id).conversationId, id);
    },
    /**
     * The last `limit` messages of the active branch before `beforeId` (default: up to the leaf),
     * oldest first. Without a limit, the whole branch.
     */
    page(conversationId: string, opts: { limit?: number; beforeId?: string } = {}): MessagePage {
      let start: string | null;
      if (opts.beforeId !== undefined) {
        const before = messages.get(opts.beforeId);
        if (!before || before.conversationId !== conversationId) {
          throw new AppError('not_found', 'The message to page back from is not in this conversation.');
        }
        start = before.parentId ?? null;
      } else {
        start = messages.activeLeafId(conversationId);
      }
      if (start === null) return { messages: [], hasMore: false };
      const want = opts.limit ?? MAX_DEPTH - 1;
      const found = path(conversationId, start, want + 1);
      const hasMore = found.length > want;
      return { messages: withSiblings(hasMore ? found.slice(1) : found), hasMore };
    },
    /** Makes the branch through `id` active (down its newest children). Returns the conversation id. */
    switchTo(id: string): string {
      const m = must(id);
      messages.setActiveLeaf(m.conversationId, newestLeaf(m.conversationId, id));
      return m.conversationId;
    },
    /**
     * Deletes a message and everything below it on every branch. When the active leaf was among them,
     * the branch moves to the newest remaining sibling (down its newest answers), else to the parent.
     */
    deleteSubtree: db.transaction((id: string): { conversationId: string; deleted: number } => {
      const m = must(id);
      const cid = m.conversationId;
      const doomed = new Set(q.subtree.all({ root: id, cid }).map((r) => r.id));
      const leaf = messages.activeLeafId(cid);
      for (const d of doomed) q.delete.run(d);
      if (leaf === null || doomed.has(leaf)) {
        const parentId = m.parentId ?? null;
        const sibling = q.siblings.all(cid, parentId).at(-1)?.id;
        messages.setActiveLeaf(cid, sibling ? newestLeaf(cid, sibling) : parentId);
      }
      return { conversationId: cid, deleted: doomed.size };
    }),
  };
}
