import { ModelsFolderField } from './ModelsFolderField.js';
import { useEffect, useId, useState, type ReactNode } from 'react';
import type { AppSettingsPatch, BackendPreference, Language, Theme } from '../../../../app/contract.js';
import { getApi, useApp } from '../../store.js';
import { setPage } from '../../models-state.js';
import { loadSettings, setHelpOpen, updateSettings, useSettings } from '../../settings-state.js';
import { baseName } from '../../format.js';
import { useI18n } from '../../i18n/rich.js';
import { systemLanguage } from '../../i18n/index.js';
import { ErrorNotes } from '../ErrorNotes.js';
import { StatusLine } from '../StatusLine.js';

const LANGUAGES: Language[] = ['system', 'en', 'zh-CN'];
const THEMES: Theme[] = ['system', 'light', 'dark'];
const BACKENDS: BackendPreference[] = ['auto', 'cuda', 'vulkan', 'metal', 'cpu'];
/** Language names are written in their own language, whatever the UI's. */
const LANGUAGE_NAME: Record<Exclude<Language, 'system'>, string> = { en: 'English', 'zh-CN': '简体中文' };

type Saved = { field: string; error: string | null } | null;

/** Settings: language and theme (applied at once), default model, engine, data and models folders. */
export function SettingsPage() {
  const { t, tn } = useI18n();
  const settings = useSettings((s) => s.settings);
  const loadError = useSettings((s) => s.error);
  const models = useApp((s) => s.models);
  const info = useApp((s) => s.info);
  const engine = useApp((s) => s.engine);
  const [cores, setCores] = useState<number | null>(null);
  // The fields start from what the store already holds, so that no frame shows them empty.
  const [threads, setThreads] = useState(() => (settings ? String(settings.engineThreads) : ''));
  const [nextDir, setNextDir] = useState(() => settings?.nextDataDir ?? '');
  const [saved, setSaved] = useState<Saved>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void loadSettings();
    void getApi()
      ?.call('system.resources', {})
      .then((r) => setCores(r.cpuCores))
      .catch(() => undefined);
  }, []);
  // The fields start from what main has (and follow it when it changes).
  useEffect(() => {
    if (!settings) return;
    setThreads(String(settings.engineThreads));
    setNextDir(settings.nextDataDir ?? '');
  }, [settings?.engineThreads, settings?.nextDataDir]);

  const save = async (field: string, patch: AppSettingsPatch) => {
    setBusy(true);
    const error = await updateSettings(patch);
    setBusy(false);
    setSaved({ field, error });
  };
  const note = (field: string) =>
    saved?.field === field &&
    (saved.error ? (
      <p className="inline-error" role="alert" data-testid="settings-error">
        {saved.error}
      </p>
    ) : (
      <span className="settings-saved" role="status" data-testid="settings-saved">
        {t('settings.saved')}
      </span>
    ));

  if (!settings) {
    return (
      <main className="main settings-page" id="main-content" tabIndex={-1} data-testid="settings-page" aria-labelledby="settings-title">
        <header className="header">
          <h1 className="header-title" id="settings-title">
            {t('settings.title')}
          </h1>
        </header>
        <div className="settings-scroll">
          <div className="settings-column">
            {loadError ? (
              <p className="inline-error" role="alert">
                {t('settings.loadError', { error: loadError })}
              </p>
            ) : (
              <p className="muted">{t('settings.loading')}</p>
            )}
          </div>
        </div>
        <StatusLine />
      </main>
    );
  }

  const usable = models.filter((m) => !m.problem);
  const defaultMissing = settings.defaultModelPath !== null && !usable.some((m) => m.path === settings.defaultModelPath);
  const threadsValue = Number(threads);
  const threadsValid = threads.trim() !== '' && Number.isInteger(threadsValue) && threadsValue >= 0 && threadsValue <= 1024;
  const autoNow = settings.engineThreads === 0 && engine?.threads ? engine.threads : null;
  const nextDirTrimmed = nextDir.trim();
  const nextDirChanged = nextDirTrimmed !== (settings.nextDataDir ?? '');
  const pendingDir = settings.nextDataDir !== null && settings.nextDataDir !== settings.dataDir ? settings.nextDataDir : null;
  const systemName = LANGUAGE_NAME[systemLanguage()];

  return (
    <main className="main settings-page" id="main-content" tabIndex={-1} data-testid="settings-page" aria-labelledby="settings-title">
      <header className="header">
        <h1 className="header-title" id="settings-title">
          {t('settings.title')}
        </h1>
      </header>
      <ErrorNotes />
      <div className="settings-scroll">
        <div className="settings-column">
          <Section id="appearance" title={t('settings.appearance')}>
            <Row label={t('settings.language')} hint={t('settings.languageHint')}>
              {(id) => (
                <Choice id={id} testId="settings-language" value={settings.language} onChange={(v) => void save('language', { language: v as Language })} note={note('language')}>
                  {LANGUAGES.map((l) => (
                    <option key={l} value={l}>
                      {l === 'system' ? t('settings.language.system', { name: systemName }) : LANGUAGE_NAME[l]}
                    </option>
                  ))}
                </Choice>
              )}
            </Row>
            <Row label={t('settings.theme')} hint={t('settings.themeHint')}>
              {(id) => (
                <Choice id={id} testId="settings-theme" value={settings.theme} onChange={(v) => void save('theme', { theme: v as Theme })} note={note('theme')}>
                  {THEMES.map((th) => (
                    <option key={th} value={th}>
                      {t(`settings.theme.${th}`)}
                    </option>
                  ))}
                </Choice>
              )}
            </Row>
          </Section>

          <Section id="models" title={t('settings.modelsSection')}>
            <Row label={t('settings.defaultModel')} hint={t('settings.defaultModelHint')}>
              {(id) => (
                <Choice
                  id={id}
                  testId="settings-default-model"
                  value={settings.defaultModelPath ?? ''}
                  onChange={(v) => void save('defaultModel', { defaultModelPath: v || null })}
                  note={note('defaultModel')}
                >
                  <option value="">{t('settings.defaultModel.none')}</option>
                  {usable.map((m) => (
                    <option key={m.path} value={m.path} title={m.path}>
                      {m.name}
                    </option>
                  ))}
                  {defaultMissing && (
                    <option value={settings.defaultModelPath!}>{t('settings.defaultModel.missing', { name: baseName(settings.defaultModelPath) })}</option>
                  )}
                </Choice>
              )}
            </Row>
            <Row label={t('settings.modelsFolder')} hint={t('settings.modelsFolderHint')}>
              {(id) => <ModelsFolderField id={id} current={settings.modelsDir} onOpenModels={() => setPage('models')} />}
            </Row>
          </Section>

          <Section id="engine" title={t('settings.engine')} intro={t('settings.engineIntro')}>
            <Row label={t('settings.backend')} hint={engine?.backend ? t('settings.backendNow', { backend: engine.backend.toUpperCase() }) : t('settings.backendHint')}>
              {(id) => (
                <Choice id={id} testId="settings-backend" value={settings.engineBackend} onChange={(v) => void save('backend', { engineBackend: v as BackendPreference })} note={note('backend')}>
                  {BACKENDS.map((b) => (
                    <option key={b} value={b}>
                      {t(`settings.backend.${b}`)}
                    </option>
                  ))}
                </Choice>
              )}
            </Row>
            <Row label={t('settings.threads')} hint={t('settings.threadsHint')}>
              {(id) => (
                <form
                  className="settings-inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (threadsValid) void save('threads', { engineThreads: threadsValue });
                  }}
                >
                  <input
                    id={id}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={1024}
                    step={1}
                    data-testid="settings-threads"
                    aria-describedby={`${id}-hint ${id}-auto`}
                    value={threads}
                    onChange={(e) => setThreads(e.target.value)}
                  />
                  <button
                    type="submit"
                    className="button small"
                    data-testid="settings-threads-save"
                    disabled={busy || !threadsValid || threadsValue === settings.engineThreads}
                  >
                    {t('common.save')}
                  </button>
                  <span className="muted" id={`${id}-auto`} data-testid="settings-threads-auto">
                    {autoNow !== null
                      ? tn('settings.threadsAutoNow', autoNow)
                      : cores !== null
                        ? tn('settings.threadsAutoCores', cores)
                        : t('settings.threadsAuto')}
                  </span>
                  {note('threads')}
                </form>
              )}
            </Row>
          </Section>

          <Section id="data" title={t('settings.data')}>
            <Row label={t('settings.dataFolder')} hint={t('settings.dataFolderHint')} readOnly>
              {() => (
                <code className="settings-path" data-testid="settings-data-dir">
                  {settings.dataDir}
                </code>
              )}
            </Row>
            <Row label={t('settings.nextDataFolder')} hint={t('settings.nextDataFolderHint')}>
              {(id) => (
                <>
                  <form
                    className="settings-inline-form wide"
                    onSubmit={(e) => {
                      e.preventDefault();
                      if (nextDirChanged) void save('dataDir', { nextDataDir: nextDirTrimmed || null });
                    }}
                  >
                    <input
                      id={id}
                      data-testid="settings-next-data-dir"
                      aria-describedby={`${id}-hint`}
                      placeholder={t('settings.nextDataFolderPlaceholder')}
                      spellCheck={false}
                      value={nextDir}
                      onChange={(e) => setNextDir(e.target.value)}
                    />
                    <button type="submit" className="button small" data-testid="settings-data-dir-save" disabled={busy || !nextDirChanged}>
                      {t('common.save')}
                    </button>
                    <button
                      type="button"
                      className="button small"
                      data-testid="settings-data-dir-default"
                      disabled={busy || settings.nextDataDir === null}
                      onClick={() => void save('dataDir', { nextDataDir: null })}
                    >
                      {t('settings.useDefault')}
                    </button>
                  </form>
                  <p className="settings-next-note" data-testid="settings-next-note">
                    {pendingDir ? t('settings.nextStart', { folder: pendingDir }) : t('settings.nextStartSame')}
                  </p>
                  {note('dataDir')}
                </>
              )}
            </Row>
          </Section>

          <Section id="help" title={t('settings.help')}>
            <div className="settings-help-line">
              <button type="button" className="button small" data-testid="settings-open-help" onClick={() => setHelpOpen(true)}>
                {t('app.help.title')}
              </button>
              {info && <span className="muted">{t('settings.version', { version: info.version })}</span>}
            </div>
          </Section>
        </div>
      </div>
      <StatusLine />
    </main>
  );
}

function Section({ id, title, intro, children }: { id: string; title: string; intro?: string; children: ReactNode }) {
  return (
    <section className="settings-section" aria-labelledby={`settings-${id}`} data-testid={`settings-section-${id}`}>
      <h2 id={`settings-${id}`}>{title}</h2>
      {intro && <p className="muted settings-intro">{intro}</p>}
      <div className="settings-rows">{children}</div>
    </section>
  );
}

/** A labelled setting: the label and its explanation on the left, the control on the right. */
/** A setting chosen from a list: the select (described by its row's hint) and what saving it said. */
function Choice(p: { id: string; testId: string; value: string; onChange(value: string): void; note: ReactNode; children: ReactNode }) {
  return (
    <>
      <select id={p.id} data-testid={p.testId} aria-describedby={`${p.id}-hint`} value={p.value} onChange={(e) => p.onChange(e.target.value)}>
        {p.children}
      </select>
      {p.note}
    </>
  );
}

function Row({ label, hint, readOnly = false, children }: { label: string; hint: string; readOnly?: boolean; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="settings-row">
      <div className="settings-label">
        {readOnly ? <span className="settings-label-text">{label}</span> : <label htmlFor={id}>{label}</label>}
        <p className="muted" id={`${id}-hint`}>
          {hint}
        </p>
      </div>
      <div className="settings-control">{children(id)}</div>
    </div>
  );
}
