// A long wait, said in words with an indeterminate progress bar.
export function Busy({ text }: { text: string }) {
  return (
    <p role="status" className="notice">
      <progress aria-label={text} /> {text}
    </p>
  );
}
