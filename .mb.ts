import { makeUid } from './src/engine/scenario/meta';
const names = Array.from({length:150000},(_, i)=>`api-000123-${i}`.split('').join(''));
for (let r = 0; r < 4; r++) {
let t = performance.now(); let x = 0;
for (let i = 0; i < 150000; i++) x += makeUid('Pod', 'payments', names[i], '5').length;
console.log('uid', (performance.now() - t).toFixed(0));
}
