/**
 * The Map Inspector's page: an empty body, one stylesheet and one script, under a strict
 * Content-Security-Policy — nothing may load but the extension's own media, no inline script
 * runs, nothing is fetched. The script builds the rest with DOM calls (never markup), so a key
 * holding `<script>` is text. Pure, so tests load the very same page.
 */
import { randomBytes } from 'node:crypto';

export interface PageResources {
  /** `webview.cspSource`: the origin the webview serves the extension's files from. */
  readonly cspSource: string;
  /** URIs (as strings) of media/inspector.js and media/inspector.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
  /** Fresh for every page; only the script carrying it may run. */
  readonly nonce: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export function contentSecurityPolicy(r: Pick<PageResources, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `style-src ${r.cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${r.nonce}'`,
    `img-src ${r.cspSource} data:`,
    `font-src ${r.cspSource}`,
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Attribute values here are URIs and a nonce we made, never target data; escaped all the same. */
function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function inspectorHtml(r: PageResources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(r))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(r.styleUri)}">
<title>Map Inspector</title>
</head>
<body>
<script nonce="${attr(r.nonce)}" src="${attr(r.scriptUri)}"></script>
</body>
</html>
`;
}
