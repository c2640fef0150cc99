/** Names shared by the manifest (package.json) and the code; a unit test checks they agree. */
export const DEBUG_TYPE = 'mapscope-go';
export const VIEW_ID = 'mapscope.mapInspector';
export const GO_MAPS_VIEW_ID = 'mapscope.goMaps';
export const INSPECT_REQUEST = 'mapscope/inspect';
export const TOP_REQUEST = 'mapscope/top';
export const LIST_REQUEST = 'mapscope/list';
export const GOROUTINES_REQUEST = 'mapscope/goroutines';

export const COMMANDS = {
  inspectGoMap: 'mapscope.inspectGoMap',
  refresh: 'mapscope.refreshMapInspector',
  pickGoProcess: 'mapscope.pickGoProcess',
  /** Inspects the expression given as argument (a Go Maps tree entry). */
  inspectExpression: 'mapscope.inspectExpression',
  refreshGoMaps: 'mapscope.refreshGoMaps',
} as const;

/** Context key: the view has something to show, so it stays visible after the session ends. */
export const HAS_CONTENT_KEY = 'mapscope.inspectorHasContent';
