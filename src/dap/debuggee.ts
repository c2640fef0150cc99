/**
 * One debug session's target: the gdb session (attached to a live process, which stays stopped
 * until close, or opened on a core), the Target the inspect engine reads through, and the
 * session-wide caches built on it.
 */
import type { FrameSelector } from '../gdb/bridge.js';
import { GdbSession, type GdbSessionOptions } from '../gdb/session.js';
import { Inspector } from '../inspect/inspect.js';
import type { MISession } from '../mi/index.js';
import { GdbTarget } from '../target/gdb-target.js';
import type { OpenRequest } from './launch-args.js';
import { FrameRegistry } from './frames.js';
import { frameTarget } from './frame-target.js';
import { MapCache } from './maps/map-cache.js';
import { MapNode } from './maps/map-node.js';
import { ValueEnv } from './values/env.js';
import type { VarContext } from './vars/context.js';
import { VarRegistry } from './vars/registry.js';

export class Debuggee {
  readonly env: ValueEnv;
  readonly registry = new VarRegistry();
  readonly frames = new FrameRegistry();
  readonly vars: VarContext;
  private readonly inspectors = new Map<string, Inspector>();

  private constructor(
    readonly session: GdbSession,
    readonly target: GdbTarget,
  ) {
    this.env = new ValueEnv(target);
    const maps = new MapCache(this.env);
    const vars: VarContext = {
      env: this.env,
      registry: this.registry,
      maps,
      mapNode: (type, header) => new MapNode(vars, type, header),
    };
    this.vars = vars;
  }

  /**
   * Opens the target. `onSession` receives the gdb session before anything starts, so that a
   * disconnect arriving mid-open can close it (GdbSession.close waits for the step under way).
   */
  static async open(req: OpenRequest, log: GdbSessionOptions['log'], onSession: (s: GdbSession) => void): Promise<Debuggee> {
    const session = await GdbSession.open(req.spec, { gdbPath: req.gdbPath, log }, onSession);
    try {
      return new Debuggee(session, await GdbTarget.create(session));
    } catch (e) {
      await session.close();
      throw e;
    }
  }

  get kind(): 'live' | 'core' {
    return this.session.spec.kind === 'live' ? 'live' : 'core';
  }

  get mi(): MISession {
    return this.session.mi;
  }

  /**
   * The same engine as `mapscope inspect`, for the mapscope/inspect request; in a frame, one
   * that evaluates map expressions there (locals), over the same memory.
   */
  inspector(at?: FrameSelector): Inspector {
    const key = at ? `${at.thread}:${at.frame}` : '';
    let inspector = this.inspectors.get(key);
    if (!inspector) {
      inspector = new Inspector(at ? frameTarget(this.target, this.mi, at) : this.target);
      this.inspectors.set(key, inspector);
    }
    return inspector;
  }

  /** Detaches from a live process (it runs on as before) and ends gdb. Idempotent. */
  close(): Promise<void> {
    return this.session.close();
  }
}
