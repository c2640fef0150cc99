#!/usr/bin/env node
/**
 * mapscope's debug adapter: DAP over stdin/stdout (or `--server=PORT` while debugging the
 * adapter itself). Configurations, with the names VS Code's Go and C/C++ extensions use:
 *
 *   { "type": "mapscope-go", "request": "attach", "processId": "${command:pickProcess}" }
 *   { "type": "mapscope-go", "request": "launch", "coreFilePath": "core.1234", "program": "./server" }
 *
 * Besides the standard requests, `mapscope/inspect` ({ expression: string | string[],
 * limit?, frameId? }) answers with the `mapscope inspect --json` contract.
 */
import { DebugSession } from '@vscode/debugadapter';
import { MapscopeDebugSession } from './session.js';

DebugSession.run(MapscopeDebugSession);
