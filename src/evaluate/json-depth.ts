const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether a JSON text nests objects and arrays deeper than `maxDepth`, by one pass over the bytes (strings
 * skipped). The mock answers such a body 7000 instead of letting a later recursive step run out of stack.
 */
export function exceedsJsonDepth(body: Uint8Array, maxDepth: number): boolean {
  // A text shorter than the limit cannot open more brackets than it has bytes.
  if (body.length <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (inString) {
      if (b === BACKSLASH) i += 1;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth -= 1;
  }
  return false;
}
