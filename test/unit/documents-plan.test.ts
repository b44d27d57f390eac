// Planning at exact sizes: full-document mode, a larger context, retrieval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDocuments, roundContext, withPassageCount, type PlanInput } from '../../app/services/documents/plan.js';

/** With these, everything but the document costs 100 + 200 + 50 + 1,000 = 1,350 tokens. */
const base = (docTokens: number, contextSize: number, maxContextSize: number): PlanInput => ({
  documents: [{ name: 'report.pdf', tokens: docTokens }],
  conversationTokens: 200,
  questionTokens: 50,
  answerTokens: 1000,
  instructionTokens: 100,
  contextSize,
  maxContextSize,
});
const FIXED = 1350;

test('full-document mode when everything fits exactly, and not one token more', () => {
  const exact = planDocuments(base(65536 - FIXED, 65536, 131072));
  assert.equal(exact.mode, 'full');
  assert.equal(exact.neededTokens, 65536);
  assert.equal(exact.passageBudget, 65536 - FIXED);
  assert.equal(exact.suggestedContext, null);
  assert.equal(exact.explanation, 'The whole document (64,186 tokens) fits in the 64K context: full-document mode.');

  const over = planDocuments(base(65536 - FIXED + 1, 65536, 131072));
  assert.equal(over.mode, 'larger-context');
  assert.equal(over.neededTokens, 65537);
  assert.equal(over.suggestedContext, 65536 + 4096);
});

test('the example from the issue: 41,203 tokens in a 64K context', () => {
  const plan = planDocuments({ ...base(41203, 65536, 131072) });
  assert.equal(plan.explanation, 'The whole document (41,203 tokens) fits in the 64K context: full-document mode.');
});

test('a larger context: rounded up to 1,024 below 8K and 4,096 above, never beyond the largest allowed', () => {
  const small = planDocuments(base(5000, 4096, 32768));
  assert.equal(small.mode, 'larger-context');
  assert.equal(small.neededTokens, 6350);
  assert.equal(small.suggestedContext, 7168);
  assert.equal(small.passageBudget, 4096 - FIXED);
  assert.match(small.explanation, /needs a 7K context; the current one is 4K\. Reloading the model with a 7K context would allow full-document mode; until then, retrieval mode\./);

  // Needed exactly the largest context: still full-document mode after a reload.
  const atMax = planDocuments(base(131072 - FIXED, 32768, 131072));
  assert.equal(atMax.mode, 'larger-context');
  assert.equal(atMax.suggestedContext, 131072);
  // Between the last multiple of 4,096 and an odd largest size: capped at the largest.
  assert.equal(planDocuments(base(100_000 - FIXED, 32768, 100_000)).suggestedContext, 100_000);

  assert.equal(roundContext(8192, 131072), 8192);
  assert.equal(roundContext(8193, 131072), 12288);
  assert.equal(roundContext(1, 131072), 1024);
  assert.equal(roundContext(40_000, 32768), 32768);
});

test('retrieval mode one token past the largest context, with the passage budget and the count once known', () => {
  const plan = planDocuments(base(131072 - FIXED + 1, 32768, 131072));
  assert.equal(plan.mode, 'retrieval');
  assert.equal(plan.passageBudget, 32768 - FIXED);
  assert.equal(plan.explanation, 'The document needs 129K tokens; the largest context here is 128K: retrieval mode, the best passages within 31,418 tokens.');
  assert.equal(
    withPassageCount(plan, 14).explanation,
    'The document needs 129K tokens; the largest context here is 128K: retrieval mode, the 14 best passages.',
  );
  assert.match(withPassageCount(plan, 1).explanation, /retrieval mode, the best passage\.$/);

  const two = planDocuments({ ...base(0, 131072, 131072), documents: [{ name: 'a', tokens: 90_000 }, { name: 'b', tokens: 90_000 }] });
  assert.equal(two.explanation.startsWith('The documents need 178K tokens; the context is 128K: retrieval mode'), true, two.explanation);
});

test('several documents fit together; the headers of full-document passages count', () => {
  const docs = [{ name: 'a.pdf', tokens: 10_000 }, { name: 'b.docx', tokens: 5_000 }];
  const fits = planDocuments({ ...base(0, 16384, 16384), documents: docs, passageHeaderTokens: 16384 - FIXED - 15_000 });
  assert.equal(fits.mode, 'full');
  assert.equal(fits.explanation, 'The 2 documents (15,000 tokens together) fit in the 16K context: full-document mode.');
  const headersTip = planDocuments({ ...base(0, 16384, 16384), documents: docs, passageHeaderTokens: 16384 - FIXED - 15_000 + 1 });
  assert.equal(headersTip.mode, 'retrieval');
});

test('no room at all for passages is said plainly; bad numbers are refused', () => {
  const full = planDocuments({ ...base(50_000, 4096, 4096), conversationTokens: 4000 });
  assert.equal(full.mode, 'retrieval');
  assert.equal(full.passageBudget, 0);
  assert.match(full.explanation, /leaves no room for passages in the 4K context; start a new conversation\./);
  assert.equal(withPassageCount(full, 0), full);
  assert.throws(() => planDocuments(base(-1, 4096, 4096)), /must be a number >= 0/);
  assert.throws(() => planDocuments({ ...base(1, 4096, 4096), contextSize: Number.NaN }), /contextSize/);
});
