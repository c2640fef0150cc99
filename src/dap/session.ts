/**
 * mapscope's debug adapter session: one gdb session behind it, through the engine `mapscope
 * inspect` uses. This class only routes requests; each request's work is a function in
 * ./handlers, and every failure becomes an error response with a one-line message.
 */
import { DebugSession, InitializedEvent, OutputEvent, TerminatedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TargetOpenError } from '../gdb/errors.js';
import type { GdbSession } from '../gdb/session.js';
import { Debuggee } from './debuggee.js';
import { DapRequestError, ErrorCode } from './errors.js';
import { capabilities } from './handlers/capabilities.js';
import { evaluate } from './handlers/evaluate.js';
import { INSPECT_REQUEST, inspectJson, parseInspectArguments } from './handlers/inspect.js';
import { DISCOVER_REQUESTS, discoverJson } from './handlers/discover.js';
import { traceLog } from '../gdb/trace-log.js';
import { readMemory } from './handlers/read-memory.js';
import { refuseRunControl } from './handlers/run-control.js';
import { scopes } from './handlers/scopes.js';
import { stoppedEvent } from './handlers/stopped.js';
import { stackTrace, threads } from './handlers/threads.js';
import { variables } from './handlers/variables.js';
import { type AttachArguments, type LaunchArguments, type OpenRequest, attachRequestSpec, launchRequestSpec } from './launch-args.js';
import { RawJsonBodies } from './raw-json.js';
import { errorText } from './vars/error-text.js';

/** Delay of events that follow a response (see open()). */
const EVENT_DELAY_MS = 50;
/** How long after `initialized` the stop is announced without waiting for configurationDone. */
const CONFIGURATION_GRACE_MS = 2_000;
/** How long the adapter outlives a disconnect when its client neither closes the pipe nor kills it. */
const EXIT_AFTER_DISCONNECT_MS = 30_000;

export class MapscopeDebugSession extends DebugSession {
  private debuggee: Debuggee | undefined;
  /** The gdb session while it opens, so that a disconnect mid-open can still detach. */
  private opening: GdbSession | undefined;
  private closed: Promise<void> | undefined;
  private stopAnnounced = false;
  private exitTimer: NodeJS.Timeout | undefined;
  private readonly rawBodies = new RawJsonBodies();

  constructor(obsoleteLinesAndColumnsStartAt1?: boolean, obsoleteIsServer?: boolean) {
    super(obsoleteLinesAndColumnsStartAt1, obsoleteIsServer);
    // gdb counts lines from 1.
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    // SIGTERM and stdin closing already end the session through shutdown(); these do too.
    for (const signal of ['SIGINT', 'SIGHUP'] as const) process.once(signal, () => this.shutdown());
  }

  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    super.start(inStream, this.rawBodies.wrap(outStream));
  }

  /** Detaches before the process exits: a live target must never be left stopped. */
  override shutdown(): void {
    void this.closeTarget().finally(() => super.shutdown());
  }

  private closeTarget(): Promise<void> {
    this.closed ??= (async () => {
      const d = this.debuggee;
      this.debuggee = undefined;
      await Promise.all([d?.close(), this.opening?.close()]);
    })();
    return this.closed;
  }

  private target(): Debuggee {
    if (!this.debuggee) throw new DapRequestError(ErrorCode.notOpen, 'no target: attach or launch first (or the session has ended)', false);
    return this.debuggee;
  }

  /** Runs a request's work; its result becomes the body, a thrown error an error response. */
  private respond<R extends DebugProtocol.Response>(response: R, work: () => Promise<R['body']> | R['body']): void {
    Promise.resolve()
      .then(work)
      .then(
        (body) => {
          if (body !== undefined) response.body = body;
          this.sendResponse(response);
        },
        (e: unknown) => this.sendError(response, e),
      );
  }

  private sendError(response: DebugProtocol.Response, e: unknown): void {
    let id: number = ErrorCode.internal;
    let showUser = true;
    if (e instanceof DapRequestError) {
      id = e.code;
      showUser = e.showUser;
    } else if (e instanceof TargetOpenError) {
      id = ErrorCode.openFailed;
    }
    // No variables: the message is shown as is, even when it holds `{…}` (a Go type, say).
    this.sendErrorResponse(response, { id, format: errorText(e), showUser, variables: {} });
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = capabilities();
    this.sendResponse(response);
  }

  protected override attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments & AttachArguments): void {
    this.respond(response, () => this.open(attachRequestSpec(args)));
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments & LaunchArguments): void {
    this.respond(response, () => this.open(launchRequestSpec(args)));
  }

  private async open(req: OpenRequest): Promise<undefined> {
    if (this.debuggee || this.opening) throw new DapRequestError(ErrorCode.badArguments, 'this session already has a target');
    if (this.closed) throw new DapRequestError(ErrorCode.notOpen, 'the session has ended');
    let d: Debuggee;
    try {
      d = await Debuggee.open(req, traceLog(), (s) => (this.opening = s));
    } finally {
      this.opening = undefined;
    }
    if (this.closed) {
      // Disconnected while it opened: let the process go again at once.
      await d.close();
      throw new DapRequestError(ErrorCode.notOpen, 'the session ended while the target was being opened');
    }
    this.debuggee = d;
    void d.mi.onExit.then((exit) => {
      if (this.debuggee !== d) return;
      // close() still makes sure a live process is not left stopped.
      void d.close();
      this.endSession(`gdb exited (${exit.signal ?? `status ${exit.exitCode}`}); the session is over`);
    });
    // Configuration (breakpoints) may follow; the stop is announced after configurationDone. A
    // moment's delay keeps the event out of the attach response's packet: a client that starts
    // waiting for it only once the response is in would otherwise miss it.
    setTimeout(() => {
      this.sendEvent(new InitializedEvent());
      // A client that never sends configurationDone still hears about the stop.
      setTimeout(() => this.announceStop(), CONFIGURATION_GRACE_MS).unref();
    }, EVENT_DELAY_MS);
    return undefined;
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.announceStop();
  }

  /** The stopped event, once per session. */
  private announceStop(): void {
    const d = this.debuggee;
    if (!d || this.stopAnnounced) return;
    this.stopAnnounced = true;
    stoppedEvent(d).then(
      (event) => this.sendEvent(event),
      (e: unknown) => this.sendEvent(new OutputEvent(`mapscope: cannot read the threads: ${errorText(e)}\n`, 'stderr')),
    );
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    // Detach first, then answer: a client that kills the adapter on the answer must find the
    // process running. The adapter itself stays to answer a second disconnect (clients' tear-down
    // often sends one); it ends when its client closes the pipe or signals it, or after a while.
    this.closeTarget().then(
      () => {
        this.sendResponse(response);
        this.exitTimer ??= setTimeout(() => this.shutdown(), EXIT_AFTER_DISCONNECT_MS);
        this.exitTimer.unref();
      },
      (e: unknown) => this.sendError(response, e),
    );
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    this.respond(response, () => threads(this.target()));
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.respond(response, () => stackTrace(this.target(), args, (line) => this.convertDebuggerLineToClient(line)));
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.respond(response, () => scopes(this.target(), args));
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.respond(response, () => variables(this.target(), args));
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.respond(response, () => evaluate(this.target(), args));
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.respond(response, () => readMemory(this.target(), args));
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (DISCOVER_REQUESTS.has(command)) {
      this.respond(response, async () => this.rawBodies.placeholder(await discoverJson(this.target(), command, args)));
      return;
    }
    if (command !== INSPECT_REQUEST) {
      super.customRequest(command, response, args);
      return;
    }
    this.respond(response, async () => {
      const text = await inspectJson(this.target(), parseInspectArguments(args));
      return this.rawBodies.placeholder(text);
    });
  }

  // Breakpoints: accepted so that a client's configuration goes through, never set (read-only).
  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const message = 'mapscope inspects without running the program: breakpoints are not set';
    response.body = { breakpoints: (args.breakpoints ?? []).map((b) => ({ verified: false, line: b.line, message })) };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    response.body = { breakpoints: args.breakpoints.map(() => ({ verified: false })) };
    this.sendResponse(response);
  }

  // Run control: none, for either kind of target.
  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.sendError(response, refuseRunControl(this.debuggee, 'continue'));
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.sendError(response, refuseRunControl(this.debuggee, 'step over'));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.sendError(response, refuseRunControl(this.debuggee, 'step in'));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.sendError(response, refuseRunControl(this.debuggee, 'step out'));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.sendError(response, refuseRunControl(this.debuggee, 'step back'));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.sendError(response, refuseRunControl(this.debuggee, 'reverse-continue'));
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendError(response, refuseRunControl(this.debuggee, 'pause'));
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse): void {
    this.sendError(response, refuseRunControl(this.debuggee, 'jump'));
  }

  protected override restartFrameRequest(response: DebugProtocol.RestartFrameResponse): void {
    this.sendError(response, refuseRunControl(this.debuggee, 'restart a frame'));
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    this.sendError(response, refuseRunControl(this.debuggee, 'restart'));
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    // mapscope never kills what it inspects; ending the session detaches.
    this.sendError(response, refuseRunControl(this.debuggee, 'terminate the program'));
  }

  /** Tells the client the session is over when gdb goes away under us. */
  private endSession(reason: string): void {
    this.debuggee = undefined;
    this.sendEvent(new OutputEvent(`mapscope: ${reason}\n`, 'stderr'));
    this.sendEvent(new TerminatedEvent());
  }
}

