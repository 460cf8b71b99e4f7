/** A copy of a Buffer's bytes as a plain ArrayBuffer (what k6 APIs hand out for binary data). */
export function toArrayBuffer(buf: Uint8Array): ArrayBuffer {
  return new Uint8Array(buf).buffer;
}
