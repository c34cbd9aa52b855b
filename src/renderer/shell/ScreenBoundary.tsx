// Keeps one screen's failure (say, an amount main sent that is not a number) from blanking the
// whole window: the screen is replaced by what happened and a way back; the wallet stays unlocked.
import { Component, type ReactNode } from 'react';

interface Props {
  /** Changing it (another screen or account) clears the failure. */
  resetKey: string;
  children: ReactNode;
}

export class ScreenBoundary extends Component<Props, { error: Error | null; key: string }> {
  override state = { error: null as Error | null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; key: string }) {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="error">
        <p>This screen could not be shown: {this.state.error.message}</p>
        <p>Nothing was sent or changed. Open another screen, or try this one again.</p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
