import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeXml, inlineAsset, jsonForScript } from './escape.ts';

describe('escaping', () => {
  it('escapes every HTML-significant character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapes XML and drops the control characters XML 1.0 forbids', () => {
    expect(escapeXml(`a<b>&"c'\u0001\u001b\tok\n`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;\tok\n');
  });

  it('embeds JSON that cannot close its script element and parses back unchanged', () => {
    const value = { title: '</script><script>alert(1)</script>', note: '<!-- x -->', sep: 'a\u2028b' };
    const json = jsonForScript(value);
    expect(json).not.toContain('<');
    expect(json).not.toContain('\u2028');
    expect(JSON.parse(json)).toEqual(value);
  });

  it('neutralises a closing tag inside an inlined asset', () => {
    expect(inlineAsset('var s = "</SCRIPT>";', 'script')).toBe('var s = "<\\/SCRIPT>";');
    expect(inlineAsset('a{content:"</style>"}', 'style')).toBe('a{content:"<\\/style>"}');
    expect(inlineAsset('a</b', 'script')).toBe('a</b');
  });
});
