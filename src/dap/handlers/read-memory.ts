/**
 * readMemory: bytes at a memoryReference (a hex address, as variables hand them out), read
 * through the bridge in chunks of at most 1 MiB. What cannot be read is reported as
 * unreadableBytes after the readable part, as DAP asks.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { bridgeRead } from '../../gdb/bridge.js';
import type { MISession } from '../../mi/index.js';
import { hex } from '../../target/bytes.js';
import type { Debuggee } from '../debuggee.js';
import { DapRequestError, ErrorCode } from '../errors.js';

const CHUNK = 1 << 20;
/** The most one request returns (VS Code's hex editor asks for 128 KiB at a time). */
const MAX_READ = 16 << 20;
/** Memory is mapped in pages: a readable prefix ends at a page boundary. */
const PAGE = 4096n;

export async function readMemory(d: Debuggee, args: DebugProtocol.ReadMemoryArguments): Promise<DebugProtocol.ReadMemoryResponse['body']> {
  const base = parseReference(args.memoryReference);
  const start = base + BigInt(args.offset ?? 0);
  if (start < 0n) throw new DapRequestError(ErrorCode.readFailed, `address ${hex(base)}${args.offset} is negative`);
  const count = Math.max(0, Math.min(args.count, MAX_READ));
  const parts: Uint8Array[] = [];
  let got = 0;
  while (got < count) {
    const address = start + BigInt(got);
    const length = Math.min(CHUNK, count - got);
    const [block] = await bridgeRead(d.mi, [{ address, length }]);
    if (block.ok) {
      parts.push(block.bytes);
      got += block.bytes.length;
      continue;
    }
    const prefix = await readablePrefix(d.mi, address, length);
    parts.push(prefix);
    got += prefix.length;
    break;
  }
  return { address: hex(start), data: Buffer.concat(parts).toString('base64'), unreadableBytes: count - got };
}

function parseReference(ref: string): bigint {
  const s = ref.trim();
  if (/^(0x[0-9a-f]+|\d+)$/i.test(s)) return BigInt(s);
  throw new DapRequestError(ErrorCode.readFailed, `not a memory reference: ${JSON.stringify(ref)} (mapscope hands out hex addresses)`);
}

async function readable(mi: MISession, address: bigint): Promise<boolean> {
  const [b] = await bridgeRead(mi, [{ address, length: 1 }]);
  return b.ok;
}

/**
 * The readable bytes at the start of a range that could not be read whole: pages are readable
 * or not, so a binary search over the first byte of each page finds the boundary in a few
 * one-byte reads.
 */
async function readablePrefix(mi: MISession, address: bigint, length: number): Promise<Uint8Array> {
  const firstPage = address - (address % PAGE);
  const end = address + BigInt(length);
  const pages = Number((end - 1n - firstPage) / PAGE) + 1;
  const pageStart = (k: number) => (k === 0 ? address : firstPage + BigInt(k) * PAGE);
  if (!(await readable(mi, address))) return new Uint8Array(0);
  let lo = 0;
  let hi = pages;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (await readable(mi, pageStart(mid))) lo = mid;
    else hi = mid;
  }
  const stop = firstPage + BigInt(lo + 1) * PAGE < end ? firstPage + BigInt(lo + 1) * PAGE : end;
  const [b] = await bridgeRead(mi, [{ address, length: Number(stop - address) }]);
  return b.ok ? b.bytes : new Uint8Array(0);
}
