import { Tokenizer, TypeGuards } from 'liquidjs';

/**
 * The literal text of a Liquid template: what its author wrote outside `{{ }}` and `{% %}`, as
 * [begin, end) offsets into the source. Only this text is trusted to say where links point and
 * whether the body is HTML; whatever Liquid outputs may come from event or profile data.
 * Tokenized by LiquidJS itself, so a `}}` inside a quoted string cannot shift the boundaries.
 */
export function literalSpans(source: string): Array<[number, number]> {
  return new Tokenizer(source)
    .readTopLevelTokens()
    .filter(TypeGuards.isHTMLToken)
    .map((t): [number, number] => [t.begin, t.end]);
}

/** An email template is HTML when its author wrote a tag; a tag coming from data does not count. */
export function isHtmlTemplate(source: string): boolean {
  const literal = literalSpans(source)
    .map(([begin, end]) => source.slice(begin, end))
    .join('');
  return /<[a-z][\s\S]*>/i.test(literal);
}
