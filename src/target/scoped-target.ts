/**
 * The session's target seen from one scope (a stack frame, or a frame of a parked goroutine):
 * the same memory and types, but a map expression is evaluated there, so that it can name a
 * local or parameter. How a scope evaluates is the caller's: `evalIn` asks the bridge.
 */
import type { BridgeMap } from '../gdb/bridge.js';
import { parseRawMapExpr } from '../gdb/expr.js';
import type { GoMapType, GoType } from '../layout/gotype.js';
import { type GdbTarget, mapFromBridge } from './gdb-target.js';
import type { RuntimeGap } from './runtime-gaps.js';
import type { BytePlace, MemRange, ReadResult, Target, TargetInfo } from './target.js';

export class ScopedTarget implements Target {
  // No `variables`: path resolution through package-level variables would read a local `m` as a global.
  constructor(
    private readonly base: GdbTarget,
    private readonly evalIn: (expr: string) => Promise<BridgeMap>,
  ) {}

  get info(): TargetInfo {
    return this.base.info;
  }

  get partial(): string | undefined {
    return this.base.partial;
  }

  get stoppedMs(): number | undefined {
    return this.base.stoppedMs;
  }

  stopReason(): string | undefined {
    return this.base.stopReason();
  }

  get pointerSize(): 4 | 8 {
    return this.base.pointerSize;
  }

  get littleEndian(): boolean {
    return this.base.littleEndian;
  }

  readMany(ranges: readonly MemRange[]): Promise<ReadResult[]> {
    return this.base.readMany(ranges);
  }

  readStatic(address: bigint, length: number): Uint8Array | undefined {
    return this.base.readStatic(address, length);
  }

  readInto(ranges: readonly MemRange[], into: readonly BytePlace[]): Promise<boolean[]> | undefined {
    return this.base.readInto(ranges, into);
  }

  get staticSpan(): readonly [number, number] | undefined {
    return this.base.staticSpan;
  }

  typesByName(names: readonly string[]): Promise<(GoType | undefined)[]> {
    return this.base.typesByName(names);
  }

  symbolAddress(name: string): Promise<bigint | undefined> {
    return this.base.symbolAddress(name);
  }

  noteRuntimeGap(gap: RuntimeGap): void {
    this.base.noteRuntimeGap(gap);
  }

  noteWarning(text: string): void {
    this.base.noteWarning(text);
  }

  runtimeTypeOffset(dwarfName: string): Promise<number | undefined> {
    return this.base.runtimeTypeOffset(dwarfName);
  }

  evalMap(expr: string): Promise<{ header: bigint; type: GoMapType }> {
    // A raw address names the same map from every scope.
    if (parseRawMapExpr(expr)) return this.base.evalMap(expr);
    return mapFromBridge(expr, this.pointerSize, () => this.evalIn(expr));
  }
}
