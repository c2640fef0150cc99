/**
 * The Go version a binary was built by, from its `.go.buildinfo` section (debug/buildinfo): a
 * 32-byte header, "\xff Go buildinf:", the pointer size and flags, then, since Go 1.18 (flag
 * 0x2), the version as a varint-prefixed string inline. Read before gdb is up, to choose what to
 * start reading beside it; gdb's runtime.buildVersion stays what the output reports.
 */
import { ElfFile } from './elf.js';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER = 32;
const FLAG_VERSION_INLINE = 0x2;

/** `go1.27.3` (with any ` X:experiment`), or undefined: no section, an older layout, damage. */
export async function buildInfoGoVersion(path: string): Promise<string | undefined> {
  let elf: ElfFile | undefined;
  try {
    elf = await ElfFile.open(path);
    const s = (await elf.sections()).find((x) => x.name === '.go.buildinfo');
    if (!s || s.size < BigInt(HEADER + 2)) return undefined;
    const bytes = Buffer.from(await elf.read(s.offset, Math.min(Number(s.size), HEADER + 10 + 128)));
    return versionFrom(bytes);
  } catch {
    return undefined;
  } finally {
    await elf?.close();
  }
}

export function versionFrom(bytes: Buffer): string | undefined {
  if (bytes.length < HEADER + 1 || !bytes.subarray(0, MAGIC.length).equals(MAGIC) || (bytes[15] & FLAG_VERSION_INLINE) === 0) return undefined;
  let len = 0;
  let at = HEADER;
  for (let shift = 0; at < bytes.length && shift < 28; at++, shift += 7) {
    len |= (bytes[at] & 0x7f) << shift;
    if ((bytes[at] & 0x80) === 0) break;
  }
  at++;
  if (len === 0 || at + len > bytes.length) return undefined;
  return bytes.toString('utf8', at, at + len);
}
