// Readers for the release binaries this machine cannot run: the Mach-O header, load commands and embedded code
// signature of the macOS builds, and the PE header of the Windows build. Written from Apple's <mach-o/loader.h>,
// <Kernel/kern/cs_blobs.h> and Microsoft's PE format spec, independently of the signer in scripts/build-binaries.ts.
import { readFileSync } from "node:fs";

export const MACHO_CPU: Record<number, string> = { 0x01000007: "x86_64", 0x0100000c: "arm64" };

export type CodeSignature = {
  /** CodeDirectory flags: CS_ADHOC 0x2, CS_RUNTIME 0x10000, CS_LINKER_SIGNED 0x20000. */
  flags: number;
  adhoc: boolean;
  identifier: string;
  /** SHA-256 is 2. */
  hashType: number;
  pageSize: number;
  /** Bytes the page hashes cover, from offset 0; the kernel and `codesign --verify` need it to reach the signature. */
  codeLimit: number;
  /** LC_CODE_SIGNATURE's dataoff and the end of the SuperBlob it points at. */
  offset: number;
  end: number;
  pages: number;
  /** Pages whose SHA-256 is not the one in the CodeDirectory: the kernel kills a process when it maps such a page. */
  badPages: number[];
};

export type MachO = { cpu: string; fileType: number; segments: string[]; signature?: CodeSignature };

const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;

export function readMachO(file: string): MachO {
  const buf = readFileSync(file);
  const le = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const u32 = (o: number) => le.getUint32(o, true);
  const be32 = (o: number) => le.getUint32(o, false);
  if (u32(0) !== 0xfeedfacf) throw new Error(`${file}: magic 0x${u32(0).toString(16)} is not MH_MAGIC_64 (0xfeedfacf)`);
  const cpuType = u32(4);
  const out: MachO = { cpu: MACHO_CPU[cpuType] ?? `0x${cpuType.toString(16)}`, fileType: u32(12), segments: [] };
  let at = 32;
  for (let i = 0; i < u32(16); i++) {
    const cmd = u32(at);
    if (cmd === LC_SEGMENT_64) out.segments.push(buf.toString("latin1", at + 8, at + 24).replace(/\0.*$/, ""));
    if (cmd === LC_CODE_SIGNATURE) out.signature = readSignature(buf, u32(at + 8), u32(at + 12), be32);
    at += u32(at + 4);
  }
  return out;
}

function readSignature(buf: Buffer, offset: number, size: number, be32: (o: number) => number): CodeSignature {
  if (be32(offset) !== 0xfade0cc0) throw new Error(`the signature at ${offset} is not an embedded-signature SuperBlob`);
  const end = offset + be32(offset + 4);
  if (end > offset + size) throw new Error(`the SuperBlob (${end - offset} bytes) is larger than LC_CODE_SIGNATURE's ${size}`);
  for (let i = 0; i < be32(offset + 8); i++) {
    if (be32(offset + 12 + i * 8) !== 0) continue; // CSSLOT_CODEDIRECTORY
    const cd = offset + be32(offset + 16 + i * 8);
    if (be32(cd) !== 0xfade0c02) throw new Error("slot 0 of the SuperBlob is not a CodeDirectory");
    const flags = be32(cd + 12);
    const hashes = cd + be32(cd + 16);
    const identStart = cd + be32(cd + 20);
    const pages = be32(cd + 28);
    const codeLimit = be32(cd + 32);
    const hashSize = buf[cd + 36]!;
    const pageSize = 2 ** buf[cd + 39]!;
    const badPages: number[] = [];
    for (let p = 0; p < pages; p++) {
      const page = buf.subarray(p * pageSize, Math.min(codeLimit, (p + 1) * pageSize));
      const want = buf.subarray(hashes + p * hashSize, hashes + (p + 1) * hashSize);
      if (!new Bun.CryptoHasher("sha256").update(page).digest().equals(want)) badPages.push(p);
    }
    return {
      flags,
      adhoc: (flags & 0x2) !== 0,
      identifier: buf.toString("latin1", identStart, buf.indexOf(0, identStart)),
      hashType: buf[cd + 37]!,
      pageSize,
      codeLimit,
      offset,
      end,
      pages,
      badPages,
    };
  }
  throw new Error("the SuperBlob has no CodeDirectory");
}

export type PE = { machine: number; optionalMagic: number; subsystem: number; executable: boolean; imports: string[] };

/**
 * The COFF header and optional header of a PE image (machine 0x8664 is x86-64, magic 0x20b PE32+, subsystem 3
 * console) and the DLLs its import table names, which Windows (or wine) must provide before any of its code runs.
 */
export function readPE(file: string): PE {
  const buf = readFileSync(file);
  if (buf.toString("latin1", 0, 2) !== "MZ") throw new Error(`${file} has no MZ header`);
  const pe = buf.readUInt32LE(0x3c);
  if (buf.toString("latin1", pe, pe + 4) !== "PE\0\0") throw new Error(`${file} has no PE signature at ${pe}`);
  const opt = pe + 24;
  const optionalMagic = buf.readUInt16LE(opt);
  if (optionalMagic !== 0x20b) throw new Error(`${file}: optional header magic 0x${optionalMagic.toString(16)} is not PE32+`);
  // Section table: RVA -> file offset.
  const sections = opt + buf.readUInt16LE(pe + 20);
  const nSections = buf.readUInt16LE(pe + 6);
  const offsetOf = (rva: number) => {
    for (let i = 0; i < nSections; i++) {
      const s = sections + i * 40;
      const va = buf.readUInt32LE(s + 12);
      const size = Math.max(buf.readUInt32LE(s + 8), buf.readUInt32LE(s + 16));
      if (rva >= va && rva < va + size) return buf.readUInt32LE(s + 20) + rva - va;
    }
    throw new Error(`${file}: RVA 0x${rva.toString(16)} is in no section`);
  };
  // Data directory 1 (PE32+: at 112 in the optional header) is the import table: 20-byte descriptors, Name at +12.
  const imports: string[] = [];
  const importRva = buf.readUInt32LE(opt + 112 + 8);
  if (importRva) {
    for (let d = offsetOf(importRva); buf.readUInt32LE(d + 12) !== 0; d += 20) {
      const name = offsetOf(buf.readUInt32LE(d + 12));
      imports.push(buf.toString("latin1", name, buf.indexOf(0, name)));
    }
  }
  return {
    machine: buf.readUInt16LE(pe + 4),
    executable: (buf.readUInt16LE(pe + 22) & 0x2) !== 0,
    optionalMagic,
    subsystem: buf.readUInt16LE(opt + 68),
    imports,
  };
}
