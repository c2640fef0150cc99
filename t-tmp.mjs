import { execa } from 'execa';
const p = execa('/tmp/bm/gdb12', [], { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false, cleanup: true });
setTimeout(() => {
  console.log('flowing?', p.stdout.readableFlowing, 'listeners', p.stdout.listenerCount('data'));
  p.stdout.on('data', (d) => { console.log('got', JSON.stringify(String(d))); p.kill(); });
}, 500);
