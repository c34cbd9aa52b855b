// Send: filled in as the wallet core's signing lands.
export function SendScreen() {
  return (
    <section className="panel">
      <h2>Send</h2>
      <p className="muted">Not available yet in this build.</p>
    </section>
  );
}
