// Exactly what a transaction moves, shown before it is signed.
import type { ReviewLines } from '../view/send';

export function ReviewList({ lines }: { lines: ReviewLines }) {
  const group = (title: string, items: string[]) => (
    <>
      <dt>{title}</dt>
      {items.length ? items.map((item, i) => <dd key={i}>{item}</dd>) : <dd>none</dd>}
    </>
  );
  return (
    <dl className="review" aria-label="What this transaction moves">
      {group('Spends (inputs)', lines.inputs)}
      {group('Creates (outputs)', lines.outputs)}
      {group('Goes to others', lines.sent)}
      {group('Comes back to you (change)', lines.change)}
      {group('Fee to the operator', lines.fee)}
    </dl>
  );
}
