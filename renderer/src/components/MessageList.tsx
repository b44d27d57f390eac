import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { isStreaming, loadOlder, useApp } from '../store.js';
import { useT } from '../i18n/index.js';
import { MessageBubble } from './MessageBubble.js';
import { ArrowDownIcon } from './layout-icons.js';

/** Room above the first message for "Loading earlier messages…". */
const TOP = 44;
/** Closer than this to the top (px) reads the previous page. */
const LOAD_OLDER_AT = 800;
const FOLLOW_SLACK = 48;

/** The open conversation (a fresh virtual list for each one). */
export function MessageList() {
  const currentId = useApp((s) => s.currentId);
  return <VirtualMessages key={currentId ?? ''} />;
}

/**
 * Only the messages in view (and a few around them) are in the DOM. Scrolling up reads older pages
 * and keeps what is on screen in place; while an answer grows the view follows the end, unless the
 * user scrolled up.
 */
function VirtualMessages() {
  const t = useT();
  const all = useApp((s) => s.messages);
  const loading = useApp((s) => s.messagesLoading);
  const hasOlder = useApp((s) => s.hasOlder);
  const loadingOlder = useApp((s) => s.loadingOlder);
  const focus = useApp((s) => s.focus);
  const busy = useApp(isStreaming);
  const visible = useMemo(() => all.filter((m) => m.role !== 'system'), [all]);
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const [flash, setFlash] = useState<string | null>(null);
  /** New text arrived while the end was out of view. */
  const [unseen, setUnseen] = useState(false);

  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => box.current,
    estimateSize: () => 120,
    getItemKey: (i) => visible[i]?.id ?? i,
    overscan: 6,
    paddingStart: TOP,
    paddingEnd: 12,
  });
  const items = virtualizer.getVirtualItems();
  const total = virtualizer.getTotalSize();

  // Older messages were put in front: keep the message that was at the top where it was.
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const firstId = visible[0]?.id;
  useLayoutEffect(() => {
    const el = box.current;
    const a = anchor.current;
    if (!el || !a) return;
    const index = visible.findIndex((m) => m.id === a.id);
    if (index > 0) {
      const start = virtualizer.measurementsCache[index]?.start;
      if (start !== undefined) el.scrollTop = start - a.offset;
    }
    anchor.current = null;
    // Only when the first message changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [firstId]);

  // A question sent from here (still pending) brings the end back into view, wherever the view was.
  const last = visible[visible.length - 1];
  const sentHere = last?.role === 'user' && last.id.startsWith('pending-') ? last.id : null;
  useLayoutEffect(() => {
    if (sentHere) follow.current = true;
  }, [sentHere]);

  // Follow the end while it grows, unless the user scrolled away from it.
  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [visible, total]);

  // What the end of the conversation says: when it changes out of view, offer to jump there.
  const endSignature = last ? `${last.id}:${last.content.length}:${last.status}` : '';
  const seenEnd = useRef(endSignature);
  useEffect(() => {
    if (endSignature === seenEnd.current) return;
    seenEnd.current = endSignature;
    if (!follow.current) setUnseen(true);
  }, [endSignature]);

  const jumpToEnd = () => {
    const el = box.current;
    follow.current = true;
    setUnseen(false);
    if (visible.length > 0) virtualizer.scrollToIndex(visible.length - 1, { align: 'end' });
    if (el) el.scrollTop = el.scrollHeight;
  };

  const readOlder = () => {
    const el = box.current;
    const first = visible[0];
    if (!el || !first || !hasOlder || loadingOlder) return;
    const start = virtualizer.measurementsCache[0]?.start ?? TOP;
    anchor.current = { id: first.id, offset: start - el.scrollTop };
    void loadOlder();
  };

  // A search result was opened: bring it into view and highlight it for a moment.
  useEffect(() => {
    if (!focus) return;
    const index = visible.findIndex((m) => m.id === focus.messageId);
    if (index === -1) return;
    follow.current = false;
    virtualizer.scrollToIndex(index, { align: 'center' });
    setFlash(focus.messageId);
    const timer = setTimeout(() => setFlash(null), 2600);
    return () => clearTimeout(timer);
    // The list may grow while the highlight lasts; only a new jump moves the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus?.seq]);

  return (
    <div className="message-pane">
      <div
        ref={box}
        className="message-scroll"
        data-testid="message-list"
        data-count={visible.length}
        data-has-older={hasOlder ? 'true' : 'false'}
        role="log"
        aria-label={t('chat.messages')}
        aria-busy={busy || loading || loadingOlder}
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK;
          if (follow.current) setUnseen(false);
          if (el.scrollTop < LOAD_OLDER_AT) readOlder();
        }}
      >
        <div className="message-column virtual" style={{ height: total }}>
          <div className="older-row">
            {loadingOlder ? (
              <span className="muted" data-testid="loading-older" role="status">
                {t('chat.loadingOlder')}
              </span>
            ) : hasOlder ? (
              <button type="button" className="button small" data-testid="load-older" onClick={readOlder}>
                {t('chat.loadOlder')}
              </button>
            ) : null}
          </div>
          <div className="virtual-window" style={{ transform: `translateY(${(items[0]?.start ?? TOP) - TOP}px)` }}>
            {items.map((item) => {
              const m = visible[item.index]!;
              return (
                <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="message-row">
                  <MessageBubble message={m} busy={busy} last={item.index === visible.length - 1} flash={flash === m.id} />
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {unseen && (
        <button type="button" className="button jump-latest" data-testid="jump-to-latest" title={t('chat.jumpToLatest')} aria-label={t('chat.jumpToLatest')} onClick={jumpToEnd}>
          <ArrowDownIcon />
          <span aria-hidden="true">{t('chat.jumpToLatestShort')}</span>
        </button>
      )}
    </div>
  );
}
