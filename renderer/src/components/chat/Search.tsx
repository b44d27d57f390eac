// Search across every conversation: the box at the top of the sidebar, and the results in place of
// the conversation list while there is a query. Matches are marked with spans built from the
// ranges main sends (the snippet is text, never HTML).
import { memo } from 'react';
import type { SearchHit } from '../../../../app/contract.js';
import { clearSearch, SEARCH_LIMIT, setSearchQuery, splitByRanges, useSearch } from '../../chat-history.js';
import { getApi, jumpToMessage, openConversation, reportError, useApp } from '../../store.js';
import { setPage } from '../../models-state.js';
import { useLanguage, useT } from '../../i18n/index.js';
import { CloseIcon, SearchIcon } from './icons.js';

export function SearchBox() {
  const t = useT();
  const query = useSearch((s) => s.query);
  return (
    <div className="search-box" role="search">
      <SearchIcon />
      <input
        type="search"
        data-testid="search-input"
        aria-label={t('chat.search.label')}
        placeholder={t('chat.search.placeholder')}
        value={query}
        maxLength={500}
        onChange={(e) => setSearchQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') clearSearch();
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            document.querySelector<HTMLButtonElement>('[data-testid="search-result"]')?.focus();
          }
        }}
      />
      {query && (
        <button type="button" className="icon-button small" data-testid="search-clear" aria-label={t('chat.search.clear')} title={t('chat.search.clear')} onClick={clearSearch}>
          <CloseIcon />
        </button>
      )}
    </div>
  );
}

export function Highlighted({ text, ranges }: { text: string; ranges: SearchHit['ranges'] }) {
  return (
    <>
      {splitByRanges(text, ranges).map((part, i) =>
        part.match ? (
          <mark key={i} className="search-highlight" data-testid="search-highlight">
            {part.text}
          </mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}

/** Opens a conversation found by its title; one made elsewhere (another window) joins the list first. */
async function openTitleHit(conversationId: string): Promise<void> {
  try {
    if (!useApp.getState().conversations.some((c) => c.id === conversationId)) {
      const list = await getApi()?.call('conversations.list', {});
      if (list) useApp.setState({ conversations: list });
    }
  } catch (error) {
    reportError(error);
  }
  await openConversation(conversationId);
}

const Hit = memo(function Hit({ hit }: { hit: SearchHit }) {
  const t = useT();
  const language = useLanguage((s) => s.language);
  const title = hit.kind === 'title';
  const who = title ? t('chat.search.inTitle') : hit.role === 'user' ? t('chat.you') : hit.role === 'assistant' ? t('chat.assistant') : t('chat.system');
  return (
    <li>
      <button
        type="button"
        className="search-result"
        data-testid="search-result"
        data-kind={hit.kind}
        data-conversation-id={hit.conversationId}
        data-message-id={hit.messageId ?? undefined}
        onClick={() => {
          setPage('chat');
          // A title hit opens the conversation; a message hit opens it at that message.
          if (hit.messageId === null) void openTitleHit(hit.conversationId);
          else void jumpToMessage(hit.conversationId, hit.messageId);
        }}
        onKeyDown={(e) => {
          const li = e.currentTarget.parentElement;
          const to = e.key === 'ArrowDown' ? li?.nextElementSibling : e.key === 'ArrowUp' ? li?.previousElementSibling : null;
          if (to) {
            e.preventDefault();
            to.querySelector<HTMLButtonElement>('button')?.focus();
          }
        }}
      >
        <span className="search-result-title" data-testid="search-result-title">
          {hit.conversationTitle || t('chat.untitled')}
        </span>
        <span className="search-result-who">
          {who} · {new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(hit.createdAt)}
        </span>
        <span className="search-snippet" data-testid="search-snippet">
          <Highlighted text={hit.snippet} ranges={hit.ranges} />
        </span>
      </button>
    </li>
  );
});

export function SearchResults() {
  const t = useT();
  const { hits, loading, error, searched, query } = useSearch();
  const stale = searched !== query.trim();
  return (
    <div className="search-results" data-testid="search-results" aria-busy={loading}>
      <p className="search-summary muted" role="status" data-testid="search-summary">
        {error
          ? ''
          : loading && stale
            ? t('chat.search.searching')
            : hits.length === 0
              ? t('chat.search.none', { query: searched })
              : hits.length >= SEARCH_LIMIT
                ? t('chat.search.limited', { count: hits.length })
                : t('chat.search.found', { count: hits.length })}
      </p>
      {error && (
        <p className="inline-error" data-testid="search-error" role="alert">
          {error}
        </p>
      )}
      <ul className="search-list" aria-label={t('chat.search.results')}>
        {hits.map((hit) => (
          <Hit key={hit.messageId ?? `title:${hit.conversationId}`} hit={hit} />
        ))}
      </ul>
    </div>
  );
}
