// The open conversation's own settings: its system prompt (with reusable presets), sampling and context length.
// An empty field means "not set here": the preset's value, else the model's default, else Qwen2's.
import { useEffect, useId, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import type { Conversation, Preset, Sampling } from '../../../../app/contract.js';
import { saveConversationSettings, useApp } from '../../store.js';
import { deletePreset, savePreset } from '../../chat-history.js';
import { formatNumber, useT } from '../../i18n/index.js';
import { CloseIcon } from './icons.js';

type Key = keyof Sampling;

interface Field {
  key: Key;
  min: number;
  max: number;
  step: number;
  integer?: boolean;
  /** Greater than min (top-p). */
  above?: boolean;
}

const FIELDS: Field[] = [
  { key: 'temperature', min: 0, max: 2, step: 0.05 },
  { key: 'topP', min: 0, max: 1, step: 0.01, above: true },
  { key: 'topK', min: 0, max: 1000, step: 1, integer: true },
  { key: 'minP', min: 0, max: 1, step: 0.01 },
  { key: 'repeatPenalty', min: 1, max: 2, step: 0.01 },
  { key: 'maxTokens', min: 1, max: 131072, step: 1, integer: true },
  { key: 'seed', min: 0, max: 2 ** 32 - 1, step: 1, integer: true },
];

/** Qwen2-Instruct's published generation settings: what applies when nothing else sets a field. */
export const QWEN2_SAMPLING: Sampling = { temperature: 0.7, topP: 0.8, topK: 20, repeatPenalty: 1.05 };
export const QWEN2_SYSTEM_PROMPT = 'You are a helpful assistant.';

type Drafts = Partial<Record<Key, string>>;

/** Context lengths to choose from (the engine refuses, before loading, one that does not fit here). */
const CONTEXT_CHOICES = [1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];
/** What an answer runs at when neither the conversation nor the model names a context (app/services/chat-settings.ts). */
const DEFAULT_CONTEXT = 4096;

function toDrafts(s: Sampling | undefined): Drafts {
  const out: Drafts = {};
  for (const f of FIELDS) if (s?.[f.key] !== undefined) out[f.key] = String(s[f.key]);
  return out;
}

/** The sampling the fields say, or the first field that is wrong. */
function parseDrafts(drafts: Drafts): { sampling: Sampling; wrong: Key | null } {
  const sampling: Record<string, number> = {};
  for (const f of FIELDS) {
    const raw = drafts[f.key]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    const bad = !Number.isFinite(n) || n < f.min || n > f.max || (f.above && n <= f.min) || (f.integer && !Number.isInteger(n));
    if (bad) return { sampling: sampling as Sampling, wrong: f.key };
    sampling[f.key] = n;
  }
  return { sampling: sampling as Sampling, wrong: null };
}

/** What the chat bar's button asks of an open panel. */
export interface SettingsPanelHandle {
  /** Closes the panel, or first asks whether to discard unsaved changes. */
  requestClose(): void;
}

export function ConversationSettingsPanel({ conversation, onClose, ref }: { conversation: Conversation; onClose: () => void; ref?: Ref<SettingsPanelHandle> }) {
  const t = useT();
  const id = useId();
  const presets = useApp((s) => s.presets);
  const model = useApp((s) => s.models.find((m) => m.path === s.modelPath) ?? null);
  const own = conversation.settings;
  const [presetId, setPresetId] = useState(own.presetId && presets.some((p) => p.id === own.presetId) ? own.presetId : '');
  const preset: Preset | null = presets.find((p) => p.id === presetId) ?? null;
  const [prompt, setPrompt] = useState(own.systemPrompt || preset?.systemPrompt || '');
  const [drafts, setDrafts] = useState<Drafts>(() => toDrafts(own.sampling));
  // '' = the model's default.
  const [contextSize, setContextSize] = useState(own.contextSize ? String(own.contextSize) : '');
  const contextChoices = [...new Set([...CONTEXT_CHOICES, ...(own.contextSize ? [own.contextSize] : [])])].sort((a, b) => a - b);
  const [naming, setNaming] = useState(false);
  const [presetName, setPresetName] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [askDiscard, setAskDiscard] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  const keepEditing = useRef<HTMLButtonElement>(null);
  const { sampling, wrong } = parseDrafts(drafts);

  // What the fields said when the panel opened (or at the last save): a difference is unsaved.
  const snapshot = (p: string, pr: string, d: Drafts, c = contextSize) => JSON.stringify([p, pr, FIELDS.map((f) => d[f.key]?.trim() ?? ''), c]);
  const [savedAs, setSavedAs] = useState(() => snapshot(presetId, prompt, drafts));
  const dirty = snapshot(presetId, prompt, drafts) !== savedAs;

  const requestClose = () => {
    if (dirty) setAskDiscard(true);
    else onClose();
  };
  useImperativeHandle(ref, () => ({ requestClose }));
  useEffect(() => {
    if (askDiscard) keepEditing.current?.focus();
  }, [askDiscard]);

  useEffect(() => first.current?.focus(), []);
  useEffect(() => setSaved(false), [presetId, prompt, drafts, contextSize]);

  /** What applies to a field left empty here. */
  const fallback = useMemo(() => {
    const layers = [preset?.sampling, model?.defaults.sampling, QWEN2_SAMPLING];
    return (key: Key) => layers.map((l) => l?.[key]).find((v) => v !== undefined);
  }, [preset, model]);
  const promptFallback = preset?.systemPrompt.trim() || model?.defaults.systemPrompt?.trim() || QWEN2_SYSTEM_PROMPT;

  const placeholder = (f: Field) => {
    const v = fallback(f.key);
    if (v !== undefined) return String(v);
    if (f.key === 'minP') return t('chat.settings.off');
    if (f.key === 'maxTokens') return t('chat.settings.noLimit');
    return t('chat.settings.random');
  };

  /** Choosing a preset puts its prompt in the field (to read, or to change for this conversation only). */
  const choosePreset = (next: string) => {
    setPresetId(next);
    setConfirmDelete(false);
    const p = presets.find((x) => x.id === next);
    if (p) setPrompt(p.systemPrompt);
  };

  const save = async () => {
    if (wrong) return;
    setBusy(true);
    const settings = {
      ...(presetId ? { presetId } : {}),
      // The preset's own prompt, unchanged, is not copied: the conversation follows the preset.
      ...(prompt.trim() && prompt !== preset?.systemPrompt ? { systemPrompt: prompt } : {}),
      ...(Object.keys(sampling).length ? { sampling } : {}),
      ...(contextSize ? { contextSize: Number(contextSize) } : {}),
    };
    const ok = await saveConversationSettings(conversation.id, settings);
    setBusy(false);
    setSaved(ok);
    if (ok) {
      setSavedAs(snapshot(presetId, prompt, drafts));
      onClose();
    }
  };

  const saveAsPreset = async () => {
    const name = presetName.trim();
    if (!name || wrong) return;
    const same = presets.find((p) => p.name === name);
    const created = await savePreset({ id: same?.id, name, systemPrompt: prompt.trim() ? prompt : promptFallback, sampling });
    if (!created) return;
    setNaming(false);
    setPresetName('');
    setPresetId(created.id);
  };

  return (
    <section
      className="settings-panel"
      data-testid="settings-panel"
      data-dirty={dirty ? 'true' : 'false'}
      role="dialog"
      aria-modal="false"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        // Esc anywhere in the panel (a field, a button, the heading); an open question closes first.
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        if (confirmDelete) setConfirmDelete(false);
        else if (askDiscard) setAskDiscard(false);
        else if (naming) setNaming(false);
        else requestClose();
      }}
    >
      <header className="settings-head">
        <h2 id={`${id}-title`}>{t('chat.settings.title')}</h2>
        <button type="button" className="icon-button" data-testid="settings-close" aria-label={t('chat.close')} title={t('chat.close')} onClick={requestClose}>
          <CloseIcon />
        </button>
        {askDiscard && (
          <div className="confirm settings-discard" role="alertdialog" aria-label={t('chat.settings.discardQuestion')} data-testid="settings-discard">
            <span>{t('chat.settings.discardQuestion')}</span>
            <button type="button" className="button danger small" data-testid="settings-discard-confirm" onClick={onClose}>
              {t('chat.settings.discard')}
            </button>
            <button ref={keepEditing} type="button" className="button small" data-testid="settings-keep-editing" onClick={() => setAskDiscard(false)}>
              {t('chat.settings.keepEditing')}
            </button>
          </div>
        )}
      </header>
      <form
        className="settings-body"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="settings-group">
          <label className="field-label" htmlFor={`${id}-preset`}>
            {t('chat.settings.preset')}
          </label>
          <div className="preset-row">
            <select ref={first} id={`${id}-preset`} data-testid="preset-select" value={presetId} onChange={(e) => choosePreset(e.target.value)}>
              <option value="">{t('chat.settings.noPreset')}</option>
              {presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <button type="button" className="button small" data-testid="preset-save" onClick={() => setNaming((v) => !v)} aria-expanded={naming}>
              {t('chat.settings.savePreset')}
            </button>
            <button
              type="button"
              className="button small"
              data-testid="preset-delete"
              disabled={!preset}
              onClick={() => setConfirmDelete(true)}
              aria-label={preset ? t('chat.settings.deletePresetNamed', { name: preset.name }) : t('chat.settings.deletePreset')}
            >
              {t('chat.settings.deletePreset')}
            </button>
          </div>
          {naming && (
            <div className="preset-row">
              <input
                data-testid="preset-name"
                aria-label={t('chat.settings.presetName')}
                placeholder={t('chat.settings.presetName')}
                value={presetName}
                maxLength={100}
                autoFocus
                onChange={(e) => setPresetName(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    void saveAsPreset();
                  }
                }}
              />
              <button type="button" className="button primary small" data-testid="preset-save-confirm" disabled={!presetName.trim() || !!wrong} onClick={() => void saveAsPreset()}>
                {t('chat.save')}
              </button>
            </div>
          )}
          {confirmDelete && preset && (
            <div className="confirm" role="alertdialog" aria-label={t('chat.settings.deletePreset')}>
              <span>{t('chat.settings.deletePresetQuestion', { name: preset.name })}</span>
              <button
                type="button"
                className="button danger small"
                data-testid="preset-delete-confirm"
                autoFocus
                onClick={() => {
                  setConfirmDelete(false);
                  void deletePreset(preset.id).then((ok) => ok && setPresetId(''));
                }}
              >
                {t('chat.delete.confirm')}
              </button>
              <button type="button" className="button small" onClick={() => setConfirmDelete(false)}>
                {t('chat.cancel')}
              </button>
            </div>
          )}
        </div>

        <div className="settings-group">
          <label className="field-label" htmlFor={`${id}-prompt`}>
            {t('chat.settings.systemPrompt')}
          </label>
          <textarea
            id={`${id}-prompt`}
            data-testid="system-prompt"
            rows={5}
            value={prompt}
            placeholder={promptFallback}
            onChange={(e) => setPrompt(e.target.value)}
          />
          <p className="field-hint muted">{preset ? t('chat.settings.promptHintPreset', { name: preset.name }) : t('chat.settings.promptHint')}</p>
        </div>

        <fieldset className="settings-group sampling">
          <legend className="field-label">{t('chat.settings.sampling')}</legend>
          <div className="sampling-fields">
            {FIELDS.map((f) => (
              <label key={f.key} className={`field${wrong === f.key ? ' wrong' : ''}`} title={t(`chat.sampling.${f.key}.hint`)}>
                <span className="field-name">{t(`chat.sampling.${f.key}`)}</span>
                <input
                  type="number"
                  inputMode="decimal"
                  data-testid={`sampling-${f.key}`}
                  min={f.min}
                  max={f.max}
                  step={f.step}
                  placeholder={placeholder(f)}
                  value={drafts[f.key] ?? ''}
                  aria-invalid={wrong === f.key}
                  onChange={(e) => setDrafts((d) => ({ ...d, [f.key]: e.target.value }))}
                />
              </label>
            ))}
          </div>
          {wrong && (
            <p className="inline-error" data-testid="sampling-error" role="alert">
              {t('chat.settings.outOfRange', { name: t(`chat.sampling.${wrong}`), min: FIELDS.find((f) => f.key === wrong)!.min, max: FIELDS.find((f) => f.key === wrong)!.max })}
            </p>
          )}
          <p className="field-hint muted">{t('chat.settings.samplingHint')}</p>
        </fieldset>

        <div className="settings-group">
          <label className="field-label" htmlFor={`${id}-context`}>
            {t('chat.settings.contextSize')}
          </label>
          <select id={`${id}-context`} data-testid="context-size-select" value={contextSize} onChange={(e) => setContextSize(e.target.value)}>
            <option value="">{t('chat.settings.contextDefault', { size: formatNumber(model?.defaults.contextSize ?? DEFAULT_CONTEXT) })}</option>
            {contextChoices.map((n) => (
              <option key={n} value={String(n)}>
                {t('chat.settings.contextTokens', { size: formatNumber(n) })}
              </option>
            ))}
          </select>
          <p className="field-hint muted">{t('chat.settings.contextHint')}</p>
        </div>

        <div className="settings-actions">
          <span className="settings-saved" role="status" data-testid="settings-saved">
            {saved ? t('chat.settings.saved') : ''}
          </span>
          <button
            type="button"
            className="button"
            data-testid="settings-reset"
            onClick={() => {
              setPresetId('');
              setPrompt('');
              setDrafts({});
              setContextSize('');
            }}
          >
            {t('chat.settings.reset')}
          </button>
          <button type="submit" className="button primary" data-testid="settings-save" disabled={busy || !!wrong}>
            {t('chat.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
