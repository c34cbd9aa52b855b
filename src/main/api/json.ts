// JSON with exact big integers. Plasma positions (up to ~1.8e20) and token amounts (uint256) do not
// fit in a double, and the elixir-omg APIs send them as bare JSON integers. We parse integers
// beyond 2^53 as bigint (using the reviver's access to the source text) and print bigints as bare
// integers, so nothing is ever rounded.

export function stringifyJson(value: unknown, space?: number): string {
  // Each call marks bigints with a fresh random tag, so no string in the data can pose as one.
  const tag = `bigint-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}:`;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'bigint' ? `${tag}${v.toString()}` : v),
    space,
  );
  return text === undefined ? text : text.replace(new RegExp(`"${tag}(-?\\d+)"`, 'g'), '$1');
}

type Reviver = (
  this: unknown,
  key: string,
  value: unknown,
  context?: { source?: string },
) => unknown;

/** Parses JSON; integers outside the safe range become bigint. Throws SyntaxError on bad input. */
export function parseJson(text: string): unknown {
  const reviver: Reviver = (_key, value, context) => {
    if (
      typeof value === 'number' &&
      !Number.isSafeInteger(value) &&
      context?.source &&
      /^-?\d+$/.test(context.source)
    ) {
      return BigInt(context.source);
    }
    return value;
  };
  return JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]);
}
