import type { EngineStatus } from '../../../app/contract.js';
import '../progress.css';
import { loadModel, unloadModel, useApp } from '../store.js';
import { baseName } from '../format.js';
import type { ConnectionState } from '../api.js';
import { useI18n } from '../i18n/rich.js';
import { setHelpOpen } from '../settings-state.js';

const STATES: ReadonlySet<EngineStatus['state']> = new Set(['stopped', 'starting', 'loading', 'ready', 'generating', 'crashed']);

/** The engine's state, backend, threads, model and speed; the connection while it is not open. */
export function StatusLine() {
  const { t, tn, num } = useI18n();
  const engine = useApp((s) => s.engine);
  const connection = useApp((s) => s.connection);
  const lastStats = useApp((s) => s.lastStats);
  const chosen = useApp((s) => s.modelPath);
  const action = useApp((s) => s.engineAction);
  const state = engine?.state ?? 'stopped';
  const tokensPerSecond = lastStats?.tokensPerSecond ?? engine?.tokensPerSecond;
  const rate =
    tokensPerSecond != null && Number.isFinite(tokensPerSecond)
      ? t('app.status.rate', { rate: num(tokensPerSecond, { maximumFractionDigits: tokensPerSecond >= 100 ? 0 : 1, minimumFractionDigits: tokensPerSecond >= 100 ? 0 : 1 }) })
      : '';
  const progress = engine?.loadProgress;
  const showProgress = state === 'loading' && progress != null;
  const busy = action !== null || state === 'loading' || state === 'starting' || state === 'generating';
  const canLoad = !!chosen && chosen !== engine?.modelPath && !busy;
  const canUnload = !!engine?.modelPath && state === 'ready' && action === null;
  const offline = connectionText(connection, t);
  // Stopped on purpose after the engine settings changed: idle, not broken.
  const restart = state === 'stopped' ? (engine?.restartWith ?? null) : null;

  return (
    <footer className="status-line" data-testid="status-line">
      <div className="status-items" role="status" aria-label={t('app.status.label')}>
        {offline ? (
          <span className="status-item offline" data-testid="connection-status">
            {offline}
          </span>
        ) : (
          <>
            <span
              className={`status-item engine-state state-${restart ? 'idle' : state}`}
              data-testid="engine-status"
              data-state={state}
              data-restart={restart ? 'true' : undefined}
              title={engine?.backendReason ?? undefined}
            >
              <span className="dot" aria-hidden="true" />
              {restart
                ? t('app.status.restartPending', {
                    count: restart.threads ?? 0,
                    backend: restart.backend === 'auto' ? t('app.status.backendAuto') : restart.backend.toUpperCase(),
                  })
                : t(`app.status.${STATES.has(state) ? state : 'stopped'}`)}
            </span>
            {showProgress && (
              <span className="status-item" data-testid="load-progress" data-progress={progress}>
                {engine?.modelPath ? `${t('progress.loading', { model: baseName(engine.modelPath) })} ` : ''}
                <progress max={1} value={progress} aria-label={t('app.status.loadProgress')} /> {num(progress, { style: 'percent' })}
              </span>
            )}
            {engine?.backend && (
              <span className="status-item" data-testid="engine-backend" title={engine.backendReason ?? undefined}>
                {engine.backend.toUpperCase()}
                {engine.threads ? ` · ${tn('app.status.threads', engine.threads)}` : ''}
              </span>
            )}
            {engine?.modelPath && !showProgress && (
              <span className="status-item model-name" data-testid="engine-model" title={engine.modelPath}>
                {baseName(engine.modelPath)}
                {engine.contextSize ? ` · ${t('app.status.context', { size: num(engine.contextSize) })}` : ''}
              </span>
            )}
            {(canLoad || action === 'load') && chosen && (
              <button
                type="button"
                className="status-item status-action"
                data-testid="engine-load"
                title={t('progress.loadTitle', { model: baseName(chosen) })}
                disabled={!canLoad}
                onClick={() => void loadModel()}
              >
                {t('progress.load')}
              </button>
            )}
            {(canUnload || action === 'unload') && engine?.modelPath && (
              <button
                type="button"
                className="status-item status-action"
                data-testid="engine-unload"
                title={t('progress.unloadTitle', { model: baseName(engine.modelPath) })}
                disabled={!canUnload}
                onClick={() => void unloadModel()}
              >
                {t('progress.unload')}
              </button>
            )}
            {rate && (
              <span className="status-item" data-testid="tokens-per-second" title={t('app.status.rateTitle')}>
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
      </div>
      <button
        type="button"
        className="status-help"
        data-testid="open-help"
        aria-label={t('app.help.open')}
        title={t('app.help.open')}
        onClick={() => setHelpOpen(true)}
      >
        ?
      </button>
    </footer>
  );
}

const KNOWN_REASONS: Record<string, string> = {
  'connection lost': 'app.status.connectionLost',
  'cannot reach the server': 'app.status.unreachable',
};

function connectionText(c: ConnectionState, t: (key: string, vars?: Record<string, string | number>) => string): string | null {
  if (c.state === 'connecting') return t('app.status.connecting');
  if (c.state === 'closed') {
    // api.ts's own reasons are translated; a reason the server sent is shown as it is.
    const reason = KNOWN_REASONS[c.reason] ? t(KNOWN_REASONS[c.reason]!) : c.reason;
    return t('app.status.disconnected', { reason, seconds: Math.ceil(c.retryInMs / 1000) });
  }
  return null;
}
