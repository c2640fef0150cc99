/**
 * A map's entries as the page writes them: `{"key":K,"value":V}` per entry, from the compiled
 * emitters' JsonItems when the inspection carries them (the fast path for big maps), else from
 * the rendered values. Either way an entry is written straight into the page's buffer; no
 * string is made per entry but for the few the page shows as text.
 */
import type { MapInspection } from '../../inspect/inspect.js';
import type { RenderedEntry } from '../../values/entries.js';
import { Ascii, type JsonOut, jsonOutText } from '../../values/json-out.js';
import { type JsonItems, writeJsonBytesTo } from '../../values/json.js';

const KEY = new Ascii('{"key":');
const VALUE = new Ascii(',"value":');
const CLOSE = new Ascii('}');

function renderedItems(entries: readonly RenderedEntry[]): JsonItems {
  return {
    length: entries.length,
    writeItem(i: number, out: JsonOut): void {
      const e = entries[i];
      out.ascii(KEY);
      writeJsonBytesTo(e.key, out);
      out.ascii(VALUE);
      writeJsonBytesTo(e.value, out);
      out.ascii(CLOSE);
    },
  };
}

/** The entries rendered for the page: all of them, or the first --limit. */
export function entryItems(m: MapInspection): JsonItems {
  return m.entryJson ?? renderedItems(m.entries ?? []);
}

/** The end of the JSON value starting at `i`: the index of the comma or closing bracket after it. */
export function valueEnd(s: string, i: number): number {
  let depth = 0;
  let inString = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return i;
      depth--;
    } else if (c === 0x2c && depth === 0) return i;
  }
  return i;
}

/** Key and value of `{"key":K,"value":V}` as their JSON texts, cut apart without parsing (a parse would round big integers). */
export function splitEntry(item: string): { key: string; value: string } {
  const keyEnd = valueEnd(item, KEY.length);
  return { key: item.slice(KEY.length, keyEnd), value: item.slice(keyEnd + VALUE.length, item.length - CLOSE.length) };
}

/** Entry i's key and value as JSON texts. */
export function entryTexts(items: JsonItems, i: number): { key: string; value: string } {
  return splitEntry(jsonOutText((out) => items.writeItem(i, out)));
}
