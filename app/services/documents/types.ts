// The document types the renderer sees are defined in the contract (app/contract/documents.ts).
export type { DocumentKind, ExtractPhase } from './extract/types.js';
export type { DocumentPlan, PlanMode } from './plan.js';
export type { AnswerSources, Citation, CitedPassage, DocumentInfo, DocumentProgress, PassageView } from '../../contract.js';
