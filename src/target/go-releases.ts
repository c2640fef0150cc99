/**
 * The Go releases mapscope is tested with, the one list of them (the integration suite builds its
 * programs with each: test/integration/toolchains.ts), and what a target built by a newer one is
 * told. mapscope reads the runtime's own structs by their DWARF field names, so a release it was
 * not tested with may have moved what it reads: it says so once rather than guess quietly.
 */

export interface TestedRelease {
  /** `1.24`: a release line; every patch release of it counts as tested. */
  readonly release: string;
  /** GOEXPERIMENTs that change map layouts, tested on top of the default build. */
  readonly experiments?: readonly string[];
}

export const TESTED_GO_RELEASES: readonly TestedRelease[] = [
  { release: '1.19' },
  { release: '1.21' },
  { release: '1.22' },
  { release: '1.23' },
  { release: '1.24', experiments: ['noswissmap'] },
  { release: '1.26' },
  { release: '1.27', experiments: ['mapsplitgroup'] },
];

/** `1.19, 1.21, ..., 1.24 (also GOEXPERIMENT=noswissmap), ...`: as --version says it. */
export function testedReleasesText(): string {
  return TESTED_GO_RELEASES.map((r) => (r.experiments ? `${r.release} (also ${r.experiments.map((e) => `GOEXPERIMENT=${e}`).join(', ')})` : r.release)).join(', ');
}

/** Major and minor of a runtime.buildVersion (`go1.27.3`, `go1.24.4 X:noswissmap`, `devel go1.28-4f1c…`, `go1.28rc1`). */
export function goRelease(goVersion: string): { major: number; minor: number } | undefined {
  const m = /(?:^|\s)go(\d+)\.(\d+)/.exec(goVersion);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

function newestTested(): { major: number; minor: number; text: string } {
  const text = TESTED_GO_RELEASES[TESTED_GO_RELEASES.length - 1].release;
  const [major, minor] = text.split('.').map(Number);
  return { major, minor, text };
}

/**
 * The warning for a target built by a Go newer than the newest tested, or undefined: an older or
 * tested release, or a version that cannot be read (the output says "unknown Go version").
 */
export function untestedGoWarning(goVersion: string): string | undefined {
  const v = goRelease(goVersion);
  if (!v) return undefined;
  const newest = newestTested();
  if (v.major < newest.major || (v.major === newest.major && v.minor <= newest.minor)) return undefined;
  return `the target was built by ${goVersion.trim()}, newer than the newest Go mapscope is tested with (${newest.text}): what is shown relies on runtime structs that release may have changed`;
}

/**
 * Whether the runtime of this version has `moduledata.typelinks`, which Go 1.27 dropped (then type
 * descriptors are found through the DWARF only); undefined or unreadable: assume not.
 */
export function hasTypelinks(goVersion: string | undefined): boolean {
  const v = goVersion === undefined ? undefined : goRelease(goVersion);
  return v !== undefined && v.major === 1 && v.minor <= 26;
}
