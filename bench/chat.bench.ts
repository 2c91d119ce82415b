// Chatbot benchmark (npm run bench:chat): server time per answer on the extractive path (red-flag
// interrupt, scrubbing, the clinical-question check, retrieval, sentence choice), p50 and p95 over
// every admin question of each demo practice. The anchor, measured in the same run and taken in
// turn, is the bare BM25 ranking (`searchOnly`) of the same question over the same index. Also
// the index's size gzipped, and the cold-start cost: JSON.parse of chat-index.json plus checking
// its version, which is all a new worker does before its first answer.
import { gzipSync } from 'node:zlib';
import { fsReader } from '../build/node/fs-reader.ts';
import { answerMessage } from '../lib/chat/answer.ts';
import { adminQuestions } from '../lib/chat/eval/admin-questions.ts';
import { buildChatIndex } from '../lib/chat/index-builder.ts';
import { parseChatIndex } from '../lib/chat/index-format.ts';
import { searchOnly } from '../lib/chat/search.ts';
import { loadPractice } from '../lib/content/load-practice.ts';

const root = new URL('..', import.meta.url).pathname;
const rounds = 30;
const warmups = 3;
const targetRatio = 3;
const now = new Date();

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;

const rows: string[] = [];
for (const [slug, questions] of Object.entries(adminQuestions)) {
  const loaded = await loadPractice(fsReader(root), slug);
  const json = JSON.stringify(buildChatIndex(loaded.practice!, { now }));
  const gz = gzipSync(json).length;

  const loads: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    parseChatIndex(json);
    loads.push(performance.now() - t);
  }
  const index = parseChatIndex(json);

  const answer: number[] = [];
  const bare: number[] = [];
  for (let round = -warmups; round < rounds; round++) {
    for (const { q } of questions) {
      // Taken in turn, so both see the same machine state.
      let t = performance.now();
      searchOnly(index, q, 5);
      const b = performance.now() - t;
      t = performance.now();
      await answerMessage(q, { index });
      const a = performance.now() - t;
      if (round >= 0) {
        bare.push(b);
        answer.push(a);
      }
    }
  }
  const ratio = percentile(answer, 50) / percentile(bare, 50);
  rows.push(
    `| ${slug} | ${questions.length} | ${us(percentile(answer, 50))} | ${us(percentile(answer, 95))} | ${us(percentile(bare, 50))} | ${us(percentile(bare, 95))} | **${ratio.toFixed(2)}×** | ${(json.length / 1024).toFixed(0)} KB / **${(gz / 1024).toFixed(1)} KB** | ${percentile(loads, 50).toFixed(2)} ms |`,
  );
  console.error(`• ${slug}: ${answer.length} answers timed`);
}

console.log(`Chat answers, ${rounds} rounds of every admin question after ${warmups} warm-up rounds (Node ${process.versions.node}); target ratio ≤ ${targetRatio}×\n`);
console.log('| practice | questions | answer p50 | answer p95 | searchOnly p50 | searchOnly p95 | ratio (p50) | index (raw / gzipped) | cold load (parse) |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
