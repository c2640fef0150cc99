/** Names shared by the manifest (package.json) and the code; a unit test checks they agree. */
export const DEBUG_TYPE = 'mapscope-go';
export const VIEW_ID = 'mapscope.mapInspector';
export const INSPECT_REQUEST = 'mapscope/inspect';

export const COMMANDS = {
  inspectGoMap: 'mapscope.inspectGoMap',
  refresh: 'mapscope.refreshMapInspector',
  pickGoProcess: 'mapscope.pickGoProcess',
} as const;

/** Context key: the view has something to show, so it stays visible after the session ends. */
export const HAS_CONTENT_KEY = 'mapscope.inspectorHasContent';
