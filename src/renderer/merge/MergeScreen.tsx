// Merge: filled in as the wallet core's signing lands.
export function MergeScreen() {
  return (
    <section className="panel">
      <h2>Merge</h2>
      <p className="muted">Not available yet in this build.</p>
    </section>
  );
}
