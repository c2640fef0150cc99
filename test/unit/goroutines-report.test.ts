/**
 * The goroutine list as the bridge answers it (MI strings) → typed goroutines → the
 * mapscope/goroutines@1 JSON and the traceback-like text; and the command sent for a local.
 */
import { describe, expect, it } from 'vitest';
import { bridgeGoroutineEval, bridgeGoroutines } from '../../src/goroutines/bridge.js';
import { goroutinesJson, goroutinesText } from '../../src/goroutines/report.js';
import type { MISession, MITuple } from '../../src/mi/index.js';
import type { TargetInfo } from '../../src/target/target.js';

/** An MISession that answers every command with `results` and remembers what it was sent. */
function fakeMI(results: MITuple): { mi: MISession; sent: string[] } {
  const sent: string[] = [];
  const mi = { send: async (command: string) => (sent.push(command), { results }) } as unknown as MISession;
  return { mi, sent };
}

const ANSWER: MITuple = {
  goroutines: [
    {
      id: '18',
      status: 'waiting',
      address: '824633794560',
      waitReason: 'chan receive',
      startFunction: 'main.recvHolder',
      frames: [
        { function: 'runtime.gopark', file: '/go/src/runtime/proc.go', line: '462', pc: '4716046', sp: '824634015288' },
        { function: 'runtime.goparkunlock', file: '/go/src/runtime/proc.go', line: '468', pc: '4509395', sp: '824634015320', inlined: '1' },
        { function: 'main.recvHolder', file: '/src/holders.go', line: '56', pc: '5072697', sp: '824634015400' },
      ],
      origin: 'sched',
      createdBy: { function: 'main.startHolders', file: '/src/holders.go', line: '35', pc: '5071785', goroutine: '1' },
    },
    { id: '24', status: 'running', address: '824633795040', thread: '4918', frames: [], origin: 'none' },
  ],
  scanned: '20',
};

const INFO: TargetInfo = { kind: 'core', pid: null, exe: '/bin/x', goVersion: 'go1.26.8', arch: 'amd64', pointerSize: 8, littleEndian: true };

describe('goroutines', () => {
  it('parses the bridge answer and renders JSON with hex addresses', async () => {
    const { mi, sent } = fakeMI(ANSWER);
    const list = await bridgeGoroutines(mi, { depth: 5, all: true });
    expect(sent).toEqual(['-mapscope-goroutines --all --depth 5']);
    expect(list.scanned).toBe(20);
    expect(list.goroutines[0].frames[1]).toEqual({ index: 1, function: 'runtime.goparkunlock', file: '/go/src/runtime/proc.go', line: 468, pc: 4509395n, sp: 824634015320n, inlined: true });
    const json = goroutinesJson(INFO, list) as { schema: string; goroutines: Record<string, unknown>[] };
    expect(json.schema).toBe('mapscope/goroutines@1');
    expect(json.goroutines[0]).toMatchObject({ id: 18, status: 'waiting', waitReason: 'chan receive', address: '0xc000012000' });
    expect(json.goroutines[0].createdBy).toEqual({ function: 'main.startHolders', file: '/src/holders.go', line: 35, pc: '0x4d63a9', goroutine: 1 });
    expect(json.goroutines[1]).toEqual({ id: 24, status: 'running', thread: 4918, address: '0xc0000121e0', frames: [] });
  });

  it("parses the runtime.g fields the runtime lacks (none here), for the target's warnings", async () => {
    expect((await bridgeGoroutines(fakeMI(ANSWER).mi)).gaps).toEqual([]);
    const without = 'waiting goroutines are listed without their wait reasons';
    const list = await bridgeGoroutines(fakeMI({ ...ANSWER, gaps: [{ struct: 'runtime.g', field: 'waitreason', without }] }).mi);
    expect(list.gaps).toEqual([{ struct: 'runtime.g', field: 'waitreason', without }]);
  });

  it('prints Go traceback headers and numbered frames', async () => {
    const text = goroutinesText(await bridgeGoroutines(fakeMI(ANSWER).mi));
    expect(text.split('\n')).toEqual([
      'goroutine 18 [chan receive]:',
      '  #0 runtime.gopark at /go/src/runtime/proc.go:462',
      '  #1 runtime.goparkunlock (inlined) at /go/src/runtime/proc.go:468',
      '  #2 main.recvHolder at /src/holders.go:56',
      '  created by main.startHolders in goroutine 1 at /src/holders.go:35',
      '',
      'goroutine 24 [running, thread 4918]:',
      '  (no frames)',
      '',
      '2 goroutines',
      '',
    ]);
  });

  it('sends both spellings of an expression, and -1 for "the frame that has it"', async () => {
    const { mi, sent } = fakeMI({ header: '4096', typeName: 'map[int]string', root: '0', types: [], frame: '3', function: 'main.recvHolder' });
    const r = await bridgeGoroutineEval(mi, { goroutine: 18 }, 'main.cfg', "'main.cfg'");
    expect(sent).toEqual([`-mapscope-goroutine-eval 18 -1 "main.cfg" "'main.cfg'"`]);
    expect(r).toMatchObject({ header: 4096n, frame: 3, function: 'main.recvHolder' });
  });
});
