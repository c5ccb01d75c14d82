// --image PATH → an image content block. The media type comes from the file's magic bytes, not its name.
import { readFileSync, statSync } from "node:fs";
import { ActionableError } from "../core/errors";
import type { ImageBlock } from "../llm/types";

const MAX = 5 * 1024 * 1024;

export function mediaType(b: Uint8Array): string | undefined {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return "image/gif";
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45) return "image/webp";
  return undefined;
}

export function loadImage(path: string): ImageBlock {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new ActionableError(`cannot read image ${path}`, "check the path given to --image", "usage");
  }
  if (size > MAX)
    throw new ActionableError(`image ${path} is ${(size / 1048576).toFixed(1)} MB; the limit is 5 MB`, "resize it first", "usage");
  const bytes = readFileSync(path);
  const type = mediaType(bytes);
  if (!type) throw new ActionableError(`${path} is not a PNG, JPEG, GIF or WebP image`, "convert it to PNG or JPEG", "usage");
  return { type: "image", source: { type: "base64", media_type: type, data: bytes.toString("base64") } };
}
