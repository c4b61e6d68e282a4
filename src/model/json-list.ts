import type { ParsedJsonList } from './types.js';

/**
 * A JSON-array field: `raw` is the exact string that was signed and is always kept
 * (protocol.md §2.4); `items` are parsed tolerantly on first access (undefined when the
 * string is not a JSON array of objects).
 */
export class JsonList<T> implements ParsedJsonList<T> {
  private parsed: { items: T[] | undefined } | undefined;

  constructor(
    readonly raw: string,
    private readonly mapEntry: (entry: Readonly<Record<string, unknown>>) => T,
  ) {}

  get items(): T[] | undefined {
    this.parsed ??= { items: parseList(this.raw, this.mapEntry) };
    return this.parsed.items;
  }

  toJSON(): ParsedJsonList<T> {
    return this.items === undefined ? { raw: this.raw } : { raw: this.raw, items: this.items };
  }
}

function parseList<T>(raw: string, mapEntry: (entry: Readonly<Record<string, unknown>>) => T): T[] | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return undefined;
    const items: T[] = [];
    for (const entry of parsed) {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
      items.push(mapEntry(entry as Record<string, unknown>));
    }
    return items;
  } catch {
    return undefined;
  }
}
