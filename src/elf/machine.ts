/** An ELF file's machine, read synchronously from its first 20 bytes, for decisions made before anything else loads. */
import { closeSync, openSync, readSync } from 'node:fs';

/** The ELF e_machine of `path`; undefined if it is not ELF or cannot be read. */
export function elfMachineSync(path: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const h = Buffer.alloc(20);
    if (readSync(fd, h, 0, 20, 0) !== 20 || h.readUInt32BE(0) !== 0x7f454c46) return undefined;
    // EI_DATA (byte 5) says how e_machine (bytes 18-19) is stored: 1 little-endian, 2 big.
    return h[5] === 2 ? h.readUInt16BE(18) : h.readUInt16LE(18);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
