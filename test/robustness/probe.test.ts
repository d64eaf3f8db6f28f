import { it } from 'vitest';
import { checkTrigger, compileTrigger } from '../../src/index.js';
import { bestTime } from './support/linear.js';
const show = (label: string, src: string) => {
  const t0 = performance.now();
  let d;
  try { d = checkTrigger(src); } catch (e) { console.log(label, 'THROW', (e as Error).name, (e as Error).message.slice(0, 200)); return; }
  console.log(label, src.length, (performance.now() - t0).toFixed(1) + 'ms', d.filter(x=>x.severity==='error').slice(0, 2).map((x) => `${x.code} ${x.message.slice(0, 80)} @${x.span.start}`));
};
it('probe', () => {
  for (const n of [128, 129, 10000, 100000]) {
    show(`paren${n}`, '('.repeat(n) + 'a' + ')'.repeat(n));
    show(`bang${n}`, '!'.repeat(n) + 'a');
    show(`list${n}`, '['.repeat(n) + ']'.repeat(n));
    show(`call${n}`, 'lowercase('.repeat(n) + 'a' + ')'.repeat(n));
    show(`and${n}`, Array.from({ length: n }, (_, i) => `p.a${i} = ${i}`).join(' and '));
    show(`or${n}`, Array.from({ length: n }, (_, i) => `p.a${i} = ${i}`).join(' or '));
    show(`andparen${n}`, Array.from({ length: n }, (_, i) => `(p.a${i} = ${i})`).join(' and '));
    show(`path${n}`, 'a' + '.b'.repeat(n));
    show(`listel${n}`, 'a in [' + Array.from({ length: n }, (_, i) => `"${i}"`).join(',') + ']');
    show(`unclosed${n}`, '('.repeat(n));
    show(`errors${n}`, ') '.repeat(n));
    show(`strings${n}`, '"a" '.repeat(n));
  }
  show('bigstr', 'a = "' + 'x'.repeat(250000) + '"');
  show('toobig', 'a = "' + 'x'.repeat(300000) + '"');
  show('glob', 'match(a, "' + '*a'.repeat(50000) + '")');
});
