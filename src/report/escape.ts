/** Escaping for the writers: every string from a report reaches HTML, XML or a script tag through here. */

const HTML_ENTITY = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' } as const;

/** Escape text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITY[c as keyof typeof HTML_ENTITY]);
}

const XML_ENTITY = { ...HTML_ENTITY, "'": '&apos;' } as const;

// XML 1.0 forbids most C0 controls even as character references, so they are dropped rather than escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Escape text for XML content and quoted attribute values (JUnit). */
export function escapeXml(text: string): string {
  return text.replace(XML_FORBIDDEN, '').replace(/[&<>"']/g, (c) => XML_ENTITY[c as keyof typeof XML_ENTITY]);
}

/** JSON for a `<script type="application/json">` element: no `<` can close the element or open a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline a trusted asset (the uPlot bundle or its CSS) so that it cannot end its element early. */
export function inlineAsset(source: string, element: 'script' | 'style'): string {
  return source.replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1');
}
