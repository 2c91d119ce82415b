// Decap holds a field's value as an Immutable.js collection when it came from a file, and as
// whatever a widget last gave it otherwise. The widgets work on plain values and give plain
// values back (Decap serialises either the same way).

export function plain(value: unknown): unknown {
  const v = value as { toJS?: () => unknown } | null | undefined;
  return typeof v?.toJS === 'function' ? v.toJS() : value;
}

/** A text value of a plain object, or '' if it has none. */
export const textOf = (o: unknown, key: string): string => {
  const v = (o as Record<string, unknown> | null | undefined)?.[key];
  return v === undefined || v === null ? '' : String(v);
};
