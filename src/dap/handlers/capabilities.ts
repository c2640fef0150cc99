/**
 * What the adapter offers. No run control of any kind: a live process stays stopped while it is
 * inspected and runs on only after disconnect, and a core cannot run at all.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

export function capabilities(): DebugProtocol.Capabilities {
  return {
    supportsConfigurationDoneRequest: true,
    supportsEvaluateForHovers: true,
    supportsReadMemoryRequest: true,
    supportsDelayedStackTraceLoading: true,
    supportsWriteMemoryRequest: false,
    supportsSetVariable: false,
    supportsSetExpression: false,
    supportsStepBack: false,
    supportsRestartRequest: false,
    supportsRestartFrame: false,
    supportsGotoTargetsRequest: false,
    supportsStepInTargetsRequest: false,
    supportsSteppingGranularity: false,
    supportsInstructionBreakpoints: false,
    supportsFunctionBreakpoints: false,
    supportsConditionalBreakpoints: false,
    supportsDataBreakpoints: false,
    supportsTerminateRequest: false,
    supportTerminateDebuggee: false,
    supportsSingleThreadExecutionRequests: false,
    supportsCancelRequest: false,
    exceptionBreakpointFilters: [],
  };
}
