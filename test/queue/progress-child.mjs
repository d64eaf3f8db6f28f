// Child process for the progress-log crash test: marks seqs done in concurrent bursts and prints
// each seq on stdout only after its markDone resolved; the parent SIGKILLs it at a seeded moment.
import { openProgressLog } from '../../dist/src/queue/progress.js';

const [dir, startText, countText] = process.argv.slice(2);
const log = await openProgressLog(dir, 'crash', { compactBytes: 4096 });
let next = Math.max(Number(startText), log.lowWater);
const end = next + Number(countText);
process.stdout.write(`open ${log.lowWater}\n`);
while (next < end) {
  const burst = [];
  for (let k = 0; k < 8 && next < end; k++) {
    // out of order inside a burst, so the done-set above lowWater is exercised
    const seqs = [next + 1, next].filter((s) => s < end);
    next += 2;
    burst.push(log.markDone(seqs).then(() => process.stdout.write(`ok ${seqs.join(' ')}\n`)));
  }
  await Promise.all(burst);
}
process.stdout.write('finished\n');
await log.close();
