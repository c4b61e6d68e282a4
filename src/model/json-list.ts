import type { ParsedJsonList } from './types.js';

/**
 * Parses a JSON-array field tolerantly: the raw string is what was signed and is always
 * kept; entries are parsed when the string is a JSON array of objects (protocol.md §2.4).
 */
export function parseJsonList<T>(raw: string, mapEntry: (entry: Readonly<Record<string, unknown>>) => T): ParsedJsonList<T> {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return { raw };
    const items: T[] = [];
    for (const entry of parsed) {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { raw };
      items.push(mapEntry(entry as Record<string, unknown>));
    }
    return { raw, items };
  } catch {
    return { raw };
  }
}
