// Deposit: filled in as the wallet core's signing lands.
export function DepositScreen() {
  return (
    <section className="panel">
      <h2>Deposit</h2>
      <p className="muted">Not available yet in this build.</p>
    </section>
  );
}
