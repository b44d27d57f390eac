import type { EngineStatus } from '../../../app/contract.js';
import { useApp } from '../store.js';
import { baseName, formatRate } from '../format.js';
import type { ConnectionState } from '../api.js';

const STATE_LABEL: Record<EngineStatus['state'], string> = {
  stopped: 'Engine stopped',
  starting: 'Engine starting…',
  loading: 'Loading model…',
  ready: 'Ready',
  generating: 'Generating…',
  crashed: 'Engine crashed',
};

function connectionText(c: ConnectionState): string | null {
  if (c.state === 'connecting') return 'Connecting…';
  if (c.state === 'closed') return `Disconnected (${c.reason}); retrying in ${Math.ceil(c.retryInMs / 1000)} s`;
  return null;
}

export function StatusLine() {
  const engine = useApp((s) => s.engine);
  const connection = useApp((s) => s.connection);
  const lastStats = useApp((s) => s.lastStats);
  const offline = connectionText(connection);
  const state = engine?.state ?? 'stopped';
  const rate = formatRate(lastStats?.tokensPerSecond ?? engine?.tokensPerSecond);
  const progress = engine?.loadProgress;
  const showProgress = state === 'loading' && progress != null;

  return (
    <footer className="status-line" data-testid="status-line" role="status" aria-label="Engine status">
      {offline ? (
        <span className="status-item offline" data-testid="connection-status">
          {offline}
        </span>
      ) : (
        <>
          <span
            className={`status-item engine-state state-${state}`}
            data-testid="engine-status"
            data-state={state}
            title={engine?.backendReason ?? undefined}
          >
            <span className="dot" aria-hidden="true" />
            {STATE_LABEL[state]}
          </span>
          {showProgress && (
            <span className="status-item" data-testid="load-progress">
              <progress max={1} value={progress} aria-label="Model load progress" /> {Math.round(progress * 100)}%
            </span>
          )}
          {engine?.backend && (
            <span className="status-item" data-testid="engine-backend" title={engine.backendReason ?? undefined}>
              {engine.backend.toUpperCase()}
              {engine.threads ? ` · ${engine.threads} thread${engine.threads === 1 ? '' : 's'}` : ''}
            </span>
          )}
          {engine?.modelPath && (
            <span className="status-item model-name" data-testid="engine-model" title={engine.modelPath}>
              {baseName(engine.modelPath)}
              {engine.contextSize ? ` · ctx ${engine.contextSize}` : ''}
            </span>
          )}
          {rate && (
            <span className="status-item" data-testid="tokens-per-second" title="Speed of the last answer">
              {rate}
            </span>
          )}
        </>
      )}
      {engine?.error && (
        <span className="status-item status-error" data-testid="engine-error" title={engine.error}>
          {engine.error}
        </span>
      )}
    </footer>
  );
}
