import { useEffect, useState, type DragEvent } from 'react';
import '../../models.css';
import '../../models-files.css';
import '../../models-library.css';
import { importFiles } from '../../models-state.js';
import { useNiah } from '../../niah-state.js';
import { useApp } from '../../store.js';
import { NiahView } from '../niah/NiahView.js';
import { AddModel } from '../AddModel.js';
import { ErrorNotes } from '../ErrorNotes.js';
import { StatusLine } from '../StatusLine.js';
import { CatalogueSection } from './CatalogueSection.js';
import { DownloadsSection } from './DownloadsSection.js';
import { ImportButton } from './ImportButton.js';
import { LibrarySection } from './LibrarySection.js';
import { RecommendedCard } from './RecommendedCard.js';
import { SectionNav } from './SectionNav.js';
import { UploadList } from './UploadList.js';
import { useT } from '../../i18n/index.js';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/** The model manager: what fits this computer, the catalogue, downloads, and the library. Drop .gguf files anywhere on it. */
export function ModelsPage() {
  const t = useT();
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    // A file dropped next to the page (the sidebar) must not make the browser open it instead.
    const keep = (e: globalThis.DragEvent) => {
      if (Array.from(e.dataTransfer?.types ?? []).includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', keep);
    window.addEventListener('drop', keep);
    return () => {
      window.removeEventListener('dragover', keep);
      window.removeEventListener('drop', keep);
    };
  }, []);
  // "Test long context" on a model opens its test view in place of the page.
  const niahId = useNiah((s) => s.modelId);
  const niahModel = useApp((st) => (niahId ? st.models.find((m) => m.id === niahId) : undefined));
  if (niahModel) return <NiahView model={niahModel} />;

  return (
    <main
      className="main models-page"
      id="main-content"
      tabIndex={-1}
      aria-labelledby="models-page-title"
      data-testid="models-page"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.relatedTarget || !e.currentTarget.contains(e.relatedTarget as Node)) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const files = Array.from(e.dataTransfer?.files ?? []);
        if (files.length > 0) importFiles(files);
      }}
    >
      <header className="header">
        <h1 className="header-title" id="models-page-title">
          {t('models.page.title')}
        </h1>
        <div className="header-models">
          <ImportButton />
          <AddModel />
        </div>
      </header>
      <ErrorNotes />
      <div className="models-scroll">
        <div className="models-column">
          <UploadList />
          <RecommendedCard />
          <SectionNav />
          <CatalogueSection />
          <DownloadsSection />
          <LibrarySection />
        </div>
      </div>
      <StatusLine />
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          <div className="drop-message">{t('models.page.drop')}</div>
        </div>
      )}
    </main>
  );
}
