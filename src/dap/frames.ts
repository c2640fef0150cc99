/** frameId ↔ (thread, level). Frames stay valid: the target never runs while it is held. */
import type { FrameSelector } from '../gdb/bridge.js';

export class FrameRegistry {
  private readonly frames: FrameSelector[] = [];
  private readonly byKey = new Map<string, number>();

  id(thread: number, level: number): number {
    const key = `${thread}:${level}`;
    let id = this.byKey.get(key);
    if (id === undefined) {
      this.frames.push({ thread, frame: level });
      id = this.frames.length;
      this.byKey.set(key, id);
    }
    return id;
  }

  get(id: number): FrameSelector | undefined {
    return Number.isInteger(id) && id > 0 ? this.frames[id - 1] : undefined;
  }
}
