// Child process for test/unit/store-crash.test.ts: writes a finished exchange, then streams an
// answer through the answer writer until it is killed. Prints one JSON line when ready, then
// "<token index> <Date.now() at append>" for every token.
// Usage: node --import tsx test/helpers/store-crash-child.ts <db file> <flushMs>
import { setTimeout as sleep } from 'node:timers/promises';
import { createAnswerWriter, openStore } from '../../app/store/index.js';

const token = (i: number): string => `w${i} `;

const [file, flushArg] = process.argv.slice(2);
if (!file || !flushArg) throw new Error('usage: store-crash-child.ts <db file> <flushMs>');
const flushMs = Number(flushArg);

const store = openStore(file);
const { conversations, messages } = store;
const c = conversations.create('Crash test');
const firstQuestion = messages.insert({ conversationId: c.id, role: 'user', content: 'First question' });
const firstAnswer = messages.insert({ conversationId: c.id, role: 'assistant', model: 'test' });
const first = createAnswerWriter(messages, firstAnswer.id, { flushMs });
first.append('First ');
first.append('answer.');
first.finish('done', { tokens: 2, tokensPerSecond: 10, timeToFirstTokenMs: 5 });
const secondQuestion = messages.insert({ conversationId: c.id, role: 'user', content: 'Second question' });
const answer = messages.insert({ conversationId: c.id, role: 'assistant', model: 'test' });
conversations.touch(c.id);

process.stdout.write(
  JSON.stringify({ conversationId: c.id, firstQuestion: firstQuestion.id, firstAnswer: firstAnswer.id, secondQuestion: secondQuestion.id, answer: answer.id }) + '\n',
);

const writer = createAnswerWriter(messages, answer.id, { flushMs });
for (let i = 0; i < 20_000; i++) {
  writer.append(token(i));
  process.stdout.write(`${i} ${Date.now()}\n`);
  await sleep(2);
}
// Only reached when nobody killed us.
writer.finish('done');
store.close();
